import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { env, parseEnv } from "@/lib/env";
import { bootstrap } from "@/lib/bootstrap";
import { checkKek, resealAll } from "@/lib/secrets/kek";
import { generateKek, parseKek } from "@/lib/crypto/seal";
import { migrateDatabase } from "@/lib/db/migrate";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import { CLI_ACTOR } from "@/lib/auth/roles";
import { withFreshDatabase } from "@/tests/integration/helpers";

const TOKEN = "kw_bootstrap_integration_token_0123456789abcdef";

describe("first start", () => {
  it("creates the default tenant, one admin and one token, and a restart creates nothing twice", async () => {
    await withFreshDatabase(async () => {
      const e = { ...env(), bootstrapAdminEmail: "root@bank.test", bootstrapAdminPassword: "bootstrap passphrase 1", bootstrapApiToken: TOKEN };
      const first = await bootstrap(e);
      expect(first).toMatchObject({ tenant: "created", admin: { created: true, email: "root@bank.test" }, token: "created", kek: "sealed-canary", signingKey: "created" });
      expect(first.admin).not.toHaveProperty("generatedPassword");
      const second = await bootstrap(e);
      expect(second).toEqual({ tenant: "exists", admin: { created: false }, token: "exists", kek: "ok", signingKey: "exists" });
      const keys = await db().signingKey.findMany();
      expect(keys.map((k) => [k.state, k.alg, k.source])).toEqual([["active", "PS256", "generate"]]);
      expect(await db().user.count()).toBe(1);
      expect(await db().apiToken.count()).toBe(1);
      expect(await db().tenant.count()).toBe(1);
      expect((await db().tenant.findFirstOrThrow()).slug).toBe("default");
      expect((await signInWithPassword("root@bank.test", "bootstrap passphrase 1", {})).role).toBe("admin");
      expect((await authenticateApiToken(TOKEN)).role).toBe("admin");
      const actions = (await db().auditEvent.findMany({ where: { actorLabel: "system" } })).map((a) => a.action).sort();
      expect(actions).toEqual(["key.activate", "key.create", "tenant.create", "token.bootstrap", "user.bootstrap"]);
    });
  });

  it("without bootstrap variables creates admin@localhost with a generated password that works", async () => {
    await withFreshDatabase(async () => {
      const result = await bootstrap({ ...env(), bootstrapAdminEmail: undefined, bootstrapAdminPassword: undefined, bootstrapApiToken: undefined });
      if (!result.admin.created) throw new Error("admin not created");
      expect(result.admin.email).toBe("admin@localhost");
      expect(result.admin.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect((await signInWithPassword("admin@localhost", result.admin.generatedPassword!, {})).role).toBe("admin");
      expect(result.token).toBe("not-configured");
    });
  });

  it("refuses to start with a KEK other than the one that sealed the database, and re-sealing moves to a new KEK", async () => {
    await withFreshDatabase(async () => {
      const kek = env().kek;
      await checkKek(kek);
      const other = parseKek(generateKek());
      await expect(checkKek(other)).rejects.toThrow(/is not the one this database's secrets are sealed with/);
      const result = await resealAll(CLI_ACTOR, kek, other);
      expect(result.resealed).toBeGreaterThanOrEqual(1);
      expect(await checkKek(other)).toBe("ok");
      await expect(checkKek(kek)).rejects.toThrow(/sealed under KEK/);
      expect(await db().auditEvent.count({ where: { action: "kek.rotate" } })).toBe(1);
    });
  });

  it("applies migrations once: a second run applies nothing", async () => {
    await withFreshDatabase(async (url) => {
      const again = await migrateDatabase(url);
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toBeGreaterThanOrEqual(1);
    });
  });
});

describe("environment", () => {
  it("names every problem at once", () => {
    expect(() =>
      parseEnv({ DATABASE_URL: "mysql://x", PORT: "99999", KEYWARD_BOOTSTRAP_API_TOKEN: "short", KEYWARD_KEK: "abc", AUTH_SECRET: "x".repeat(40) }),
    ).toThrow(/DATABASE_URL[\s\S]*PORT[\s\S]*KEYWARD_BOOTSTRAP_API_TOKEN/);
  });
});
