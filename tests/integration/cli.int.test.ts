// The operator CLI, run for real as a child process (`node --import tsx
// cli/keyward.ts …`) against the integration database, with the outcome
// checked through the services.
//
// Every test creates its own users and tokens (unique emails per run), so the
// tests do not depend on each other or on their order. The KEK tests use their
// own SQLite database and data dir: re-sealing the shared database would break
// the KEK check of every other test.

import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runCli as runCliProcess, type CliResult } from "./run-cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import { SignInError, signInWithPassword } from "@/lib/auth/sign-in";
import { parseKek } from "@/lib/crypto/seal";
import { db, disconnectDb } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { resetEnvForTests } from "@/lib/env";
import { checkKek } from "@/lib/secrets/kek";

const DATABASE_URL = process.env.DATABASE_URL!;
const RUN = randomUUID().slice(0, 8);
const SLOW = { timeout: 90_000 };

let tmp: string;
let dataDir: string;

/** The CLI on the test database and this file's data dir, unless `env` says otherwise. */
function runCli(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  return runCliProcess(args, { ...options, env: { DATABASE_URL, KEYWARD_DATA_DIR: dataDir, ...options.env } });
}

function shownPassword(stdout: string): string {
  const match = /password \(shown once, store it now\): (\S+)/.exec(stdout);
  if (!match?.[1]) throw new Error(`no password in the output:\n${stdout}`);
  return match[1];
}

const uniqueEmail = (what: string) => `cli-${what}-${RUN}@keyward.test`;
// The throttle counts failures per client address too: a fresh one per test.
const meta = () => ({ ip: `cli-test-${randomUUID()}` });

async function signInFails(email: string, password: string): Promise<string> {
  try {
    await signInWithPassword(email, password, meta());
  } catch (error) {
    expect(error).toBeInstanceOf(SignInError);
    return (error as SignInError).reason;
  }
  throw new Error(`sign-in of ${email} unexpectedly succeeded`);
}

/** Runs `fn` with the services pointed at another database. */
async function withDatabase<T>(url: string, fn: () => Promise<T>): Promise<T> {
  await disconnectDb();
  process.env.DATABASE_URL = url;
  resetEnvForTests();
  try {
    return await fn();
  } finally {
    await disconnectDb();
    process.env.DATABASE_URL = DATABASE_URL;
    resetEnvForTests();
  }
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-cli-it-"));
  dataDir = path.join(tmp, "data");
  // The services in this process resolve their secrets here too, never in ./data.
  process.env.KEYWARD_DATA_DIR = dataDir;
  resetEnvForTests();
});

afterAll(async () => {
  await disconnectDb();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("keyward CLI", () => {
  it("--help exits 0 and lists every command", SLOW, async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const command of [
      "migrate",
      "bootstrap",
      "admin:create",
      "user:reset-password",
      "user:unlock",
      "user:list",
      "token:create",
      "token:revoke",
      "token:list",
      "kek:rotate",
      "kek:check",
    ]) {
      expect(r.stdout).toContain(command);
    }
    const sub = await runCli(["kek:rotate", "--help"]);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/restart every running Keyward server/i);
  });

  it("an unknown command exits 2 and names it", SLOW, async () => {
    const r = await runCli(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('keyward: unknown command "frobnicate"');
    expect(r.stderr).toContain("--help");
    expect(r.stdout).toBe("");
  });

  it("a missing option exits 2 and names it", SLOW, async () => {
    const r = await runCli(["admin:create", "--name", "Nobody"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing option --email");
  });

  it("migrate reports an up-to-date database", SLOW, async () => {
    const r = await runCli(["migrate"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("database is up to date");
  });

  it("admin:create creates an admin who can sign in, audited as cli; a second one with that email exits 1", SLOW, async () => {
    const email = uniqueEmail("admin");
    const r = await runCli(["admin:create", "--email", email, "--name", "CLI Admin"]);
    expect(r.stderr).not.toMatch(/keyward: (?!warning)/);
    expect(r.code).toBe(0);
    const password = shownPassword(r.stdout);
    const user = await signInWithPassword(email, password, meta());
    expect(user).toMatchObject({ email, name: "CLI Admin", role: "admin" });
    const audit = await db().auditEvent.findFirst({ where: { targetId: user.id, action: "user.create" } });
    expect(audit?.actorLabel).toBe("cli");
    expect(audit?.actorType).toBe("cli");

    const again = await runCli(["admin:create", "--email", email.toUpperCase(), "--password", "another-strong-pw-42"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`keyward: a user with email ${email} already exists`);
    expect(again.stdout).toBe("");
  });

  it("admin:create --password-stdin takes the password from stdin and prints none", SLOW, async () => {
    const email = uniqueEmail("stdin");
    const password = `Stdin-${randomUUID()}`;
    const r = await runCli(["admin:create", "--email", email, "--password-stdin"], { input: `${password}\nignored second line\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(password);
    expect(r.stdout).not.toMatch(/shown once/);
    await expect(signInWithPassword(email, password, meta())).resolves.toMatchObject({ email, role: "admin" });
  });

  it("token:create --quiet prints only a token the API accepts; token:revoke <token> stops it", SLOW, async () => {
    const name = `cli-token-${RUN}`;
    const r = await runCli(["token:create", "--name", name, "--role", "operator", "--quiet"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    const token = lines[0]!;
    await expect(authenticateApiToken(token)).resolves.toMatchObject({ type: "token", label: `token:${name}`, role: "operator" });

    const list = await runCli(["token:list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(name);
    expect(list.stdout).not.toContain(token);

    const revoke = await runCli(["token:revoke", token]);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toContain("revoked");
    expect(revoke.stdout + revoke.stderr).not.toContain(token);
    await expect(authenticateApiToken(token)).rejects.toThrow(/revoked/);
  });

  it("token:revoke of an unknown token exits 1 without echoing it", SLOW, async () => {
    const fake = `kw_${randomUUID().replaceAll("-", "")}`;
    const r = await runCli(["token:revoke", "-"], { input: `${fake}\n` });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no API token matches the given token");
    expect(r.stderr).not.toContain(fake);
  });

  it("user:reset-password replaces the password: the old one is refused, the new one accepted", SLOW, async () => {
    const email = uniqueEmail("reset");
    const oldPassword = `Old-${randomUUID()}`;
    expect((await runCli(["admin:create", "--email", email, "--password", oldPassword])).code).toBe(0);
    await expect(signInWithPassword(email, oldPassword, meta())).resolves.toMatchObject({ email });

    const r = await runCli(["user:reset-password", "--email", email]);
    expect(r.code).toBe(0);
    const newPassword = shownPassword(r.stdout);
    expect(newPassword).not.toBe(oldPassword);
    expect(await signInFails(email, oldPassword)).toBe("invalid_credentials");
    await expect(signInWithPassword(email, newPassword, meta())).resolves.toMatchObject({ email });

    const unknown = await runCli(["user:reset-password", "--email", uniqueEmail("nobody")]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(uniqueEmail("nobody"));
  });

  it("user:unlock lifts a lockout without changing the password", SLOW, async () => {
    const email = uniqueEmail("locked");
    const password = `Right-${randomUUID()}`;
    expect((await runCli(["admin:create", "--email", email, "--password", password])).code).toBe(0);
    // Wrong passwords until the account locks, each from a new address so only
    // the account counter climbs. The backoff between attempts is skipped by
    // moving the last failure a minute back (still inside the counting window).
    let reason = "";
    for (let i = 0; i < 10; i++) {
      await db().loginThrottle.updateMany({ where: { key: `account:${email}` }, data: { lastFailureAt: new Date(Date.now() - 60_000) } });
      reason = await signInFails(email, "definitely-wrong-password");
    }
    expect(reason).toBe("locked");
    expect(await signInFails(email, password)).toBe("locked");

    const r = await runCli(["user:unlock", "--email", email]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`sign-in lock cleared for ${email}`);
    await expect(signInWithPassword(email, password, meta())).resolves.toMatchObject({ email });
  });

  it("user:list shows users with role and status", SLOW, async () => {
    const email = uniqueEmail("listed");
    expect((await runCli(["admin:create", "--email", email])).code).toBe(0);
    const r = await runCli(["user:list"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/EMAIL\s+ROLE\s+STATUS/);
    expect(r.stdout).toMatch(new RegExp(`${email.replace(/[.]/g, "\\.")}\\s+admin\\s+active`));
  });
});

describe("keyward CLI: rotate-tick", () => {
  it("performs what the policy says is due, audited as system, and then has nothing to do", SLOW, async () => {
    const slug = `cli_rot_${RUN}`;
    const tenant = await db().tenant.create({ data: { slug, name: "Cron Bank", jwksMaxAgeSeconds: 0, propagationSeconds: 120, rotationIntervalSeconds: 1 } });
    // An active key activated long ago: automatic rotation is due.
    const { rotateNow } = await import("@/lib/rotation/rotate");
    const first = await rotateNow({ type: "cli", label: "cli", role: "admin" }, slug);
    await db().signingKey.updateMany({ where: { tenantId: tenant.id }, data: { activatedAt: new Date(Date.now() - 60_000) } });
    const tick = await runCli(["rotate-tick"]);
    expect(tick.code).toBe(0);
    expect(tick.stdout).toMatch(new RegExp(`${slug}: rotate \\S+: the active key "${first.kid}" was activated at .*the rotation interval has passed`));
    const rotated = await db().auditEvent.findFirstOrThrow({ where: { tenantSlug: slug, action: "key.rotate", actorLabel: "system" } });
    expect(rotated.targetId).not.toBe(first.kid);
    const staged = await db().signingKey.findFirstOrThrow({ where: { tenantId: tenant.id, state: "staged" } });
    expect(staged.activatesAt).not.toBeNull();
    // The new key waits for its propagation time; nothing more is due for this tenant now.
    const again = await runCli(["rotate-tick"]);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain(slug);
  });
});

describe("keyward CLI: KEK", () => {
  it("kek:rotate with the data-dir KEK replaces the file and re-seals the database under the new KEK", SLOW, async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "kek-"));
    const url = `file:${path.join(dir, "kek.db")}`;
    await migrateDatabase(url);
    const kekEnv = { DATABASE_URL: url, KEYWARD_DATA_DIR: path.join(dir, "data"), KEYWARD_KEK: "", KEYWARD_KEK_FILE: "" };
    const kekFile = path.join(dir, "data", "kek");

    // The first command generates the data-dir KEK; kek:check seals the canary with it.
    const check = await runCli(["kek:check"], { env: kekEnv });
    expect(check.code).toBe(0);
    const oldText = fs.readFileSync(kekFile, "utf8").trim();
    const oldKek = parseKek(oldText);

    const r = await runCli(["kek:rotate"], { env: kekEnv });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const newText = fs.readFileSync(kekFile, "utf8").trim();
    expect(newText).not.toBe(oldText);
    const newKek = parseKek(newText);
    if (process.platform !== "win32") expect(fs.statSync(kekFile).mode & 0o777).toBe(0o600);
    // No staged file and no copy of the old KEK is left behind.
    expect(fs.readdirSync(path.join(dir, "data")).filter((f) => f.includes("kek"))).toEqual(["kek"]);
    // Ids are printed, the KEKs themselves never.
    expect(r.stdout).not.toContain(oldText);
    expect(r.stdout).not.toContain(newText);
    expect(r.stdout).toMatch(/old KEK: [0-9a-f]{16}/);
    expect(r.stdout).toMatch(/new KEK: [0-9a-f]{16}/);
    expect(r.stdout).toMatch(/Restart every running Keyward server/);

    await withDatabase(url, async () => {
      await expect(checkKek(newKek)).resolves.toBe("ok");
      await expect(checkKek(oldKek)).rejects.toThrow(/not the one this database's secrets are sealed with/);
      const audit = await db().auditEvent.findFirst({ where: { action: "kek.rotate" } });
      expect(audit?.actorLabel).toBe("cli");
    });

    // The CLI agrees: the new KEK opens the database, the old one does not.
    expect((await runCli(["kek:check"], { env: kekEnv })).code).toBe(0);
    const withOld = await runCli(["kek:check"], { env: { ...kekEnv, KEYWARD_KEK: oldText } });
    expect(withOld.code).toBe(1);
    expect(withOld.stderr).toMatch(/^keyward: the key-encryption key/);
  });

  it("kek:rotate with KEYWARD_KEK needs --new-kek-file, writes the new KEK there and says how to switch", SLOW, async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "kek-env-"));
    const url = `file:${path.join(dir, "kek.db")}`;
    await migrateDatabase(url);
    const oldText = parseKek("11".repeat(32)).toString("base64url");
    const kekEnv = { DATABASE_URL: url, KEYWARD_DATA_DIR: path.join(dir, "data"), KEYWARD_KEK: oldText, KEYWARD_KEK_FILE: "" };
    expect((await runCli(["kek:check"], { env: kekEnv })).code).toBe(0);

    const missing = await runCli(["kek:rotate"], { env: kekEnv });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--new-kek-file");

    const target = path.join(dir, "kek-2");
    const r = await runCli(["kek:rotate", "--new-kek-file", target], { env: kekEnv });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("unset KEYWARD_KEK");
    expect(r.stdout).toContain(`export KEYWARD_KEK_FILE=${target}`);
    if (process.platform !== "win32") expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    const newKek = parseKek(fs.readFileSync(target, "utf8"));

    await withDatabase(url, async () => {
      await expect(checkKek(newKek)).resolves.toBe("ok");
      await expect(checkKek(parseKek(oldText))).rejects.toThrow();
    });
    expect((await runCli(["kek:check"], { env: { ...kekEnv, KEYWARD_KEK: "", KEYWARD_KEK_FILE: target } })).code).toBe(0);
  });
});
