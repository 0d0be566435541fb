import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateKek, kekId, parseKek } from "@/lib/crypto/seal";
import { UsageError } from "@/cli/args";
import { CliFailure } from "@/cli/errors";
import {
  candidateKeks,
  commitStaged,
  dataDirKekPath,
  discardStaged,
  planKekRotation,
  stageNewKek,
  stagedPath,
  usesDataDirKek,
  type KekConfig,
} from "@/cli/kek-files";

let dir: string;
let dataDir: string;
let current: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-kekfiles-"));
  dataDir = path.join(dir, "data");
  fs.mkdirSync(dataDir);
  current = generateKek();
  fs.writeFileSync(path.join(dataDir, "kek"), `${current}\n`, { mode: 0o600 });
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const dataDirConfig = (): KekConfig => ({ kek: parseKek(current), kekSource: "file", kekPath: path.join(dataDir, "kek"), dataDir });
const envConfig = (): KekConfig => ({ kek: parseKek(current), kekSource: "env", dataDir });

describe("planKekRotation", () => {
  it("replaces the data-dir kek file in place", () => {
    const config = dataDirConfig();
    expect(usesDataDirKek(config)).toBe(true);
    expect(usesDataDirKek({ ...config, kekSource: "generated" })).toBe(true);
    const plan = planKekRotation(config);
    expect(plan.mode).toBe("data-dir");
    expect(plan.destinations).toEqual([dataDirKekPath(dataDir)]);
    expect(plan.oldKekId).toBe(kekId(parseKek(current)));
    expect(plan.newKekId).not.toBe(plan.oldKekId);
  });

  it("requires --new-kek-file when the KEK comes from KEYWARD_KEK or another KEYWARD_KEK_FILE", () => {
    expect(() => planKekRotation(envConfig())).toThrow(UsageError);
    const elsewhere: KekConfig = { ...dataDirConfig(), kekPath: path.join(dir, "mounted-kek") };
    expect(usesDataDirKek(elsewhere)).toBe(false);
    expect(() => planKekRotation(elsewhere)).toThrow(/--new-kek-file/);
  });

  it("writes a generated KEK to a --new-kek-file that does not exist", () => {
    const target = path.join(dir, "new-kek");
    const plan = planKekRotation(envConfig(), target);
    expect(plan).toMatchObject({ mode: "external", newKekFrom: "generated", newKekFile: target, destinations: [target] });
  });

  it("reads the new KEK from a --new-kek-file that exists", () => {
    const target = path.join(dir, "new-kek");
    const text = generateKek();
    fs.writeFileSync(target, `${text}\n`);
    const external = planKekRotation(envConfig(), target);
    expect(external).toMatchObject({ newKekFrom: "file", destinations: [], newKekId: kekId(parseKek(text)) });
    const inDataDir = planKekRotation(dataDirConfig(), target);
    expect(inDataDir).toMatchObject({ newKekFrom: "file", destinations: [dataDirKekPath(dataDir)] });
  });

  it("refuses a new KEK equal to the current one, and a malformed one", () => {
    expect(() => planKekRotation(dataDirConfig(), path.join(dataDir, "kek"))).toThrow(/is the KEK in use/);
    const bad = path.join(dir, "bad");
    fs.writeFileSync(bad, "not a kek");
    expect(() => planKekRotation(envConfig(), bad)).toThrow(CliFailure);
  });

  it("refuses to run over a staged file from another rotation", () => {
    fs.writeFileSync(stagedPath(dataDirKekPath(dataDir)), "whatever");
    expect(() => planKekRotation(dataDirConfig())).toThrow(/kek\.next exists/);
  });

  it("refuses a --new-kek-file in a directory that does not exist", () => {
    expect(() => planKekRotation(envConfig(), path.join(dir, "nope", "kek"))).toThrow(/does not exist/);
  });
});

describe("stage, commit, discard", () => {
  it("stages the new KEK as <file>.next with mode 0600, then renames it over the old one", () => {
    const plan = planKekRotation(dataDirConfig(), path.join(dir, "copy"));
    stageNewKek(plan);
    for (const file of plan.destinations) {
      const staged = stagedPath(file);
      if (process.platform !== "win32") expect(fs.statSync(staged).mode & 0o777).toBe(0o600);
      expect(kekId(parseKek(fs.readFileSync(staged, "utf8")))).toBe(plan.newKekId);
    }
    // Until the commit, the old KEK is still in place.
    expect(fs.readFileSync(path.join(dataDir, "kek"), "utf8").trim()).toBe(current);
    commitStaged(plan);
    for (const file of plan.destinations) {
      expect(fs.existsSync(stagedPath(file))).toBe(false);
      expect(kekId(parseKek(fs.readFileSync(file, "utf8")))).toBe(plan.newKekId);
    }
    expect(fs.readdirSync(dataDir)).toEqual(["kek"]);
  });

  it("discards the staged files when the re-seal fails", () => {
    const plan = planKekRotation(dataDirConfig());
    stageNewKek(plan);
    discardStaged(plan);
    expect(fs.readdirSync(dataDir)).toEqual(["kek"]);
    expect(fs.readFileSync(path.join(dataDir, "kek"), "utf8").trim()).toBe(current);
  });

  it("finds the KEK left in a staged file by an interrupted rotation", () => {
    const plan = planKekRotation(dataDirConfig());
    stageNewKek(plan);
    const found = candidateKeks(dataDirConfig());
    expect(found.map((c) => [c.path, kekId(c.kek)])).toEqual([[stagedPath(dataDirKekPath(dataDir)), plan.newKekId]]);
  });
});
