// KEK rotation, proven on real sealed data: signing keys (generated, PEM and
// JWK imports, tenant-wide and client-scoped) and a sandbox directory's key
// are sealed under one KEK, `kek:rotate` runs for real (the CLI as a child
// process), and then every sealed value found anywhere in the database opens
// with the new KEK only, and the re-sealed keys still sign.
//
// Runs on a fresh database of the run's kind (SQLite file or a new PostgreSQL
// database): re-sealing the shared one would break every other test's KEK.

import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createLocalJWKSet, exportJWK, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli";
import { kekId, parseKek, SealError, unsealToString } from "@/lib/crypto/seal";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { createDirectory, issueSandboxSsa } from "@/lib/directories/directories";
import { activateSigningKey } from "@/lib/keys/activate-key";
import { addSigningKey } from "@/lib/keys/add-key";
import { signForTenant } from "@/lib/keys/sign";
import { jwksSnapshot } from "@/lib/protocol/jwks";
import { invalidateAll } from "@/lib/protocol/published-state";
import { checkKek } from "@/lib/secrets/kek";
import { SEALED_FIELDS } from "@/lib/secrets/sealed-fields";
import { createTenant } from "@/lib/tenants/tenants";
import { ADMIN, uniq, withFreshDatabase } from "@/tests/integration/helpers";

const SEALED_ENVELOPE = /^v\d{1,6}\.[0-9a-f]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

let tmp: string;
const savedKek = process.env.KEYWARD_KEK;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-reseal-it-"));
});

afterAll(() => {
  process.env.KEYWARD_KEK = savedKek;
  resetEnvForTests();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every string cell of every table that has the shape of a sealed envelope, by table.column and row. */
async function sealedCellsInDatabase(): Promise<Map<string, string>> {
  const url = process.env.DATABASE_URL!;
  const tables: { name: string }[] = url.startsWith("file:")
    ? await db().$queryRawUnsafe(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    : await db().$queryRawUnsafe(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`);
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["SigningKey", "Directory", "Setting", "Client", "AuditEvent"]));
  const cells = new Map<string, string>();
  for (const { name } of tables) {
    const rows: Record<string, unknown>[] = await db().$queryRawUnsafe(`SELECT * FROM "${name}"`);
    rows.forEach((row, i) => {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value === "string" && SEALED_ENVELOPE.test(value)) cells.set(`${name}.${column}#${String(row.id ?? row.key ?? i)}`, value);
      }
    });
  }
  return cells;
}

/** The sealed values the re-seal registry knows, with the AAD each was sealed with. */
async function registeredSealedValues() {
  const values: { field: string; id: string; sealed: string; aad: string }[] = [];
  await db().$transaction(async (tx) => {
    for (const field of SEALED_FIELDS) for (const row of await field.read(tx)) values.push({ field: field.name, ...row });
  });
  return values;
}

async function verifiesWithPublishedJwks(slug: string, jwt: string, appId?: string) {
  const snap = await jwksSnapshot(slug, appId);
  expect(snap.status).toBe(200);
  const jwks = JSON.parse(snap.body.toString()) as { keys: Record<string, unknown>[] };
  for (const key of jwks.keys) for (const member of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(key).not.toHaveProperty(member);
  return jwtVerify(jwt, createLocalJWKSet(jwks as never));
}

/** What a restarted server does: forget the keys it unsealed, read the KEK again. */
function restartWithKek(kekText: string) {
  process.env.KEYWARD_KEK = kekText;
  resetEnvForTests();
  (globalThis as unknown as { __keywardSigners?: Map<string, unknown> }).__keywardSigners?.clear();
  invalidateAll();
}

describe("kek:rotate on real sealed data", () => {
  it("re-seals every sealed value in the database under the new KEK, none opens with the old one, and the keys still sign", { timeout: 120_000 }, async () => {
    await withFreshDatabase(async (url) => {
      const oldText = randomBytes(32).toString("base64url");
      const oldKek = parseKek(oldText);
      restartWithKek(oldText);
      await checkKek(oldKek);

      const slug = uniq("reseal").replace(/-/g, "_");
      await createTenant(ADMIN, { slug, name: "Reseal Bank" });
      const generated = await addSigningKey(ADMIN, slug, { source: "generate" });
      await activateSigningKey(ADMIN, slug, generated.kid);
      const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const pemKey = await addSigningKey(ADMIN, slug, { source: "pem", privateKeyPem: rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString() });
      const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const jwkKey = await addSigningKey(ADMIN, slug, { source: "jwk", jwk: await exportJWK(ec.privateKey), alg: "ES256" });
      const appKey = await addSigningKey(ADMIN, slug, { source: "generate", appId: "reseal-app" });
      await activateSigningKey(ADMIN, slug, appKey.kid);
      const sandbox = await createDirectory(ADMIN, slug, { kind: "sandbox", name: "Reseal sandbox" });
      expect([pemKey.state, jwkKey.state]).toEqual(["staged", "staged"]);

      // Before: the registry knows every sealed value in the database, all under the old KEK.
      const before = await registeredSealedValues();
      const cellsBefore = await sealedCellsInDatabase();
      expect([...cellsBefore.values()].sort()).toEqual(before.map((v) => v.sealed).sort());
      expect(new Set(before.map((v) => v.field))).toEqual(new Set(["Setting.kek.canary", "SigningKey.privateKeySealed", "Directory.sandboxKeySealed"]));
      expect(before).toHaveLength(1 + 4 + 1);
      const plaintexts = new Map(before.map((v) => [`${v.field}:${v.id}`, unsealToString(v.sealed, oldKek, v.aad)]));
      for (const v of before) expect(v.sealed.split(".")[1]).toBe(kekId(oldKek));

      const newKekFile = path.join(tmp, "kek-new");
      const r = await runCli(["kek:rotate", "--new-kek-file", newKekFile], { env: { DATABASE_URL: url, KEYWARD_KEK: oldText, KEYWARD_KEK_FILE: "", KEYWARD_DATA_DIR: path.join(tmp, "data") } });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`re-sealed ${before.length} value(s) under the new KEK`);
      const newText = fs.readFileSync(newKekFile, "utf8").trim();
      const newKek = parseKek(newText);
      expect(kekId(newKek)).not.toBe(kekId(oldKek));

      // After: the same rows, every value changed, each opens with the new KEK to the same
      // plaintext, and with the old KEK fails as a wrong KEK.
      const after = await registeredSealedValues();
      expect(after.map((v) => `${v.field}:${v.id}`).sort()).toEqual(before.map((v) => `${v.field}:${v.id}`).sort());
      const cellsAfter = await sealedCellsInDatabase();
      expect([...cellsAfter.keys()].sort()).toEqual([...cellsBefore.keys()].sort());
      expect([...cellsAfter.values()].sort()).toEqual(after.map((v) => v.sealed).sort());
      const oldValues = new Set(before.map((v) => v.sealed));
      for (const v of after) {
        const where = `${v.field} ${v.id}`;
        expect(oldValues.has(v.sealed), `${where} left unchanged`).toBe(false);
        expect(v.sealed.split(".")[1], where).toBe(kekId(newKek));
        expect(unsealToString(v.sealed, newKek, v.aad), where).toBe(plaintexts.get(`${v.field}:${v.id}`));
        let failure: unknown;
        try {
          unsealToString(v.sealed, oldKek, v.aad);
        } catch (error) {
          failure = error;
        }
        expect(failure, `${where} still opens with the old KEK`).toBeInstanceOf(SealError);
        expect((failure as SealError).code).toBe("wrong_kek");
      }

      // A server restarted with the new KEK signs with the re-sealed keys, verifiable with the published JWKS.
      restartWithKek(newText);
      await expect(checkKek(newKek)).resolves.toBe("ok");
      const tenantToken = await signForTenant(slug, { sub: "reseal", aud: "rp" });
      expect(tenantToken.kid).toBe(generated.kid);
      expect((await verifiesWithPublishedJwks(slug, tenantToken.jwt)).payload.sub).toBe("reseal");
      const appToken = await signForTenant(slug, { sub: "reseal-app" }, { appId: "reseal-app" });
      expect(appToken.kid).toBe(appKey.kid);
      expect((await verifiesWithPublishedJwks(slug, appToken.jwt, "reseal-app")).payload.sub).toBe("reseal-app");
      const ssa = await issueSandboxSsa(ADMIN, slug, sandbox.id, {
        softwareId: "reseal-software",
        softwareClientName: "Reseal TPP",
        redirectUris: ["https://tpp.example/cb"],
        roles: ["AISP"],
        softwareJwks: { keys: [await exportJWK(ec.publicKey)] },
        orgId: "reseal-org",
        orgName: "Reseal Org",
      });
      const directoryJwks = JSON.parse((await db().directory.findUniqueOrThrow({ where: { id: sandbox.id } })).jwks!) as { keys: never[] };
      expect((await jwtVerify(ssa.softwareStatement, createLocalJWKSet(directoryJwks))).payload.software_id).toBe("reseal-software");

      // A server still on the old KEK refuses to start and cannot sign.
      restartWithKek(oldText);
      await expect(checkKek(oldKek)).rejects.toThrow(/not the one this database's secrets are sealed with/);
      await expect(signForTenant(slug, { sub: "old" })).rejects.toBeInstanceOf(SealError);
      await expect(issueSandboxSsa(ADMIN, slug, sandbox.id, { softwareId: "x", softwareClientName: "x", redirectUris: ["https://tpp.example/cb"], roles: ["AISP"], softwareJwks: { keys: [await exportJWK(ec.publicKey)] }, orgId: "o", orgName: "o" })).rejects.toBeInstanceOf(SealError);
    });
  });
});
