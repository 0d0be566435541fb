import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, it, expect, vi } from "vitest";
import {
  ensureSecretFile,
  generateAuthSecret,
  resolveSecret,
} from "./data-secrets.ts";

// POSIX permission bits are meaningless on Windows.
const posixOnly = it.skipIf(process.platform === "win32");

let tmp: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-secrets-"));
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function modeOf(p: string): number {
  return fs.statSync(p).mode & 0o777;
}

/** A generator that counts its calls and returns predictable values. */
function counter(prefix = "secret"): { generate: () => string; calls: () => number } {
  let n = 0;
  return {
    generate: () => `${prefix}-${++n}`,
    calls: () => n,
  };
}

describe("ensureSecretFile", () => {
  posixOnly("creates the data dir (0700) and the file (0600) on first use", () => {
    const dataDir = path.join(tmp, "nested", "data");
    const gen = counter();
    const result = ensureSecretFile({ dataDir, fileName: "kek", generate: gen.generate });

    expect(result).toEqual({
      value: "secret-1",
      created: true,
      path: path.join(dataDir, "kek"),
    });
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(result.path)).toBe(0o600);
    expect(fs.readFileSync(result.path, "utf8").trim()).toBe("secret-1");
    // No temp files are left behind.
    expect(fs.readdirSync(dataDir)).toEqual(["kek"]);
  });

  posixOnly("writes 0600 even under a permissive umask", () => {
    const previous = process.umask(0o000);
    try {
      const result = ensureSecretFile({ dataDir: tmp, fileName: "kek", generate: () => "x" });
      expect(modeOf(result.path)).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it("reuses the existing value on the second call", () => {
    const gen = counter();
    const first = ensureSecretFile({ dataDir: tmp, fileName: "kek", generate: gen.generate });
    const second = ensureSecretFile({ dataDir: tmp, fileName: "kek", generate: gen.generate });

    expect(second).toEqual({ value: first.value, created: false, path: first.path });
    expect(gen.calls()).toBe(1);
  });

  it("trims whitespace around an existing value", () => {
    fs.writeFileSync(path.join(tmp, "kek"), "  existing-value \n\n", { mode: 0o600 });
    const result = ensureSecretFile({ dataDir: tmp, fileName: "kek", generate: () => "new" });
    expect(result.value).toBe("existing-value");
    expect(result.created).toBe(false);
  });

  posixOnly("tightens a file whose mode is looser than 0600", () => {
    const file = path.join(tmp, "kek");
    fs.writeFileSync(file, "loose\n");
    fs.chmodSync(file, 0o644);

    const result = ensureSecretFile({ dataDir: tmp, fileName: "kek", generate: () => "new" });
    expect(result).toMatchObject({ value: "loose", created: false });
    expect(modeOf(file)).toBe(0o600);
  });

  posixOnly("leaves a stricter mode (0400) alone", () => {
    const file = path.join(tmp, "kek");
    fs.writeFileSync(file, "strict\n");
    fs.chmodSync(file, 0o400);

    ensureSecretFile({ dataDir: tmp, fileName: "kek", generate: () => "new" });
    expect(modeOf(file)).toBe(0o400);
  });

  it("rejects an empty file with a message naming its path", () => {
    const file = path.join(tmp, "kek");
    fs.writeFileSync(file, "  \n", { mode: 0o600 });
    const gen = counter();

    expect(() => ensureSecretFile({ dataDir: tmp, fileName: "kek", generate: gen.generate })).toThrow(
      `Secret file ${file} is empty`,
    );
    // The empty file must not be silently replaced.
    expect(gen.calls()).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toBe("  \n");
  });

  it("adopts a file that another process created while generating", () => {
    const file = path.join(tmp, "kek");
    const result = ensureSecretFile({
      dataDir: tmp,
      fileName: "kek",
      generate: () => {
        // Simulates a concurrent first start winning the race.
        fs.writeFileSync(file, "winner\n", { mode: 0o600 });
        return "loser";
      },
    });

    expect(result).toEqual({ value: "winner", created: false, path: file });
    expect(fs.readFileSync(file, "utf8").trim()).toBe("winner");
    expect(fs.readdirSync(tmp)).toEqual(["kek"]);
  });

  it("falls back to rename on filesystems without hard links", () => {
    const link = vi.spyOn(fs, "linkSync").mockImplementation(() => {
      throw Object.assign(new Error("operation not permitted"), { code: "EPERM" });
    });
    const result = ensureSecretFile({ dataDir: tmp, fileName: "kek", generate: () => "via-rename" });

    expect(link).toHaveBeenCalledOnce();
    expect(result).toMatchObject({ value: "via-rename", created: true });
    expect(fs.readFileSync(result.path, "utf8").trim()).toBe("via-rename");
    expect(fs.readdirSync(tmp)).toEqual(["kek"]);
  });

  it("rejects file names containing directories", () => {
    for (const fileName of ["../kek", "sub/kek", "", ".."]) {
      expect(() => ensureSecretFile({ dataDir: tmp, fileName, generate: () => "x" })).toThrow(
        /plain file name/,
      );
    }
  });

  it("refuses to write an empty generated secret", () => {
    expect(() => ensureSecretFile({ dataDir: tmp, fileName: "kek", generate: () => " " })).toThrow(
      /empty or contains whitespace/,
    );
    expect(fs.existsSync(path.join(tmp, "kek"))).toBe(false);
  });
});

describe("generateAuthSecret", () => {
  it("returns 48 random bytes as base64url", () => {
    const secret = generateAuthSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(Buffer.from(secret, "base64url")).toHaveLength(48);
    expect(generateAuthSecret()).not.toBe(secret);
  });
});

describe("resolveSecret", () => {
  function explicitFile(content: string): string {
    const file = path.join(tmp, "mounted-secret");
    fs.writeFileSync(file, content);
    return file;
  }

  it("prefers the explicit value over the file and the data dir", () => {
    const gen = counter();
    const result = resolveSecret({
      name: "KEYWARD_KEK",
      value: "  from-env \n",
      file: explicitFile("from-file"),
      dataDir: tmp,
      defaultFileName: "kek",
      generate: gen.generate,
    });

    expect(result).toEqual({ value: "from-env", source: "env" });
    expect(gen.calls()).toBe(0);
    expect(fs.existsSync(path.join(tmp, "kek"))).toBe(false);
  });

  it("uses the explicit file when no value is given", () => {
    const file = explicitFile("from-file\n");
    fs.writeFileSync(path.join(tmp, "kek"), "from-data-dir");
    const result = resolveSecret({
      name: "KEYWARD_KEK",
      file,
      dataDir: tmp,
      defaultFileName: "kek",
      generate: () => "generated",
    });

    expect(result).toEqual({ value: "from-file", source: "file", path: file });
  });

  it("treats a blank value as unset", () => {
    const file = explicitFile("from-file");
    const result = resolveSecret({
      name: "KEYWARD_KEK",
      value: "   ",
      file,
      dataDir: tmp,
      defaultFileName: "kek",
      generate: () => "generated",
    });
    expect(result.source).toBe("file");
  });

  posixOnly("does not chmod an explicit (operator-managed) file", () => {
    const file = explicitFile("from-file");
    fs.chmodSync(file, 0o644);
    resolveSecret({ name: "KEYWARD_KEK", file, dataDir: tmp, defaultFileName: "kek", generate: () => "g" });
    expect(modeOf(file)).toBe(0o644);
  });

  it("throws when the explicit file does not exist", () => {
    const missing = path.join(tmp, "nope");
    expect(() =>
      resolveSecret({
        name: "KEYWARD_KEK",
        file: missing,
        dataDir: tmp,
        defaultFileName: "kek",
        generate: () => "generated",
      }),
    ).toThrow(`KEYWARD_KEK_FILE points at ${missing} which does not exist`);
    // Must not fall back to generating a secret.
    expect(fs.existsSync(path.join(tmp, "kek"))).toBe(false);
  });

  it("throws when the explicit file is empty", () => {
    const file = explicitFile("\n");
    expect(() =>
      resolveSecret({ name: "KEYWARD_KEK", file, dataDir: tmp, defaultFileName: "kek", generate: () => "g" }),
    ).toThrow(`Secret file ${file} is empty`);
  });

  it("generates the default file on first start, then reads it", () => {
    const dataDir = path.join(tmp, "data");
    const opts = {
      name: "NEXTAUTH_SECRET",
      dataDir,
      defaultFileName: "auth-secret",
      generate: generateAuthSecret,
    };
    const first = resolveSecret(opts);
    const second = resolveSecret(opts);

    expect(first.source).toBe("generated");
    expect(first.path).toBe(path.join(dataDir, "auth-secret"));
    expect(second).toEqual({ value: first.value, source: "file", path: first.path });
  });
});
