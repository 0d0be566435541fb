import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { AppError } from "@/lib/errors";
import { createTenant } from "@/lib/tenants/tenants";
import { exportTenantConfig } from "@/lib/tenants/config-export";
import { importTenantConfig } from "@/lib/tenants/config-import";
import { addSigningKey } from "@/lib/keys/add-key";
import { activateSigningKey } from "@/lib/keys/activate-key";
import { listSigningKeys } from "@/lib/keys/list-keys";
import { jwksSnapshot } from "@/lib/protocol/jwks";
import { ADMIN, actorWith, backdateKey, uniq } from "@/tests/integration/helpers";

const OPERATOR = actorWith("operator");

async function tenantWithTwoKeys() {
  const slug = (await createTenant(ADMIN, { slug: uniq("cfg").replace(/-/g, "_"), name: "Config Bank", profile: "ob-uk" })).slug;
  const active = await addSigningKey(OPERATOR, slug, { source: "generate" });
  await activateSigningKey(OPERATOR, slug, active.kid);
  const staged = await addSigningKey(OPERATOR, slug, { source: "generate", kid: "directory-issued-kid" });
  // Published long enough ago that relying parties have it: it may sign.
  await backdateKey(slug, staged.kid);
  return { slug, active: active.kid, staged: staged.kid };
}

const states = async (slug: string) => Object.fromEntries((await listSigningKeys(ADMIN, slug)).map((k) => [k.kid, k.state]));

describe("tenant configuration export and import", () => {
  it("exports settings, keys by kid and public JWK, and the signing key — never private material", async () => {
    const { slug, active, staged } = await tenantWithTwoKeys();
    const config = await exportTenantConfig(actorWith("viewer"), slug);
    expect(config).toMatchObject({
      format: "keyward.tenant-config/v1",
      tenant: { slug, name: "Config Bank", profile: "ob-uk", jwksMaxAgeSeconds: 300 },
      signing: { activeKid: active, apps: {} },
    });
    expect(Object.fromEntries(config.signingKeys.map((k) => [k.kid, k.state]))).toEqual({ [active]: "active", [staged]: "staged" });
    const text = JSON.stringify(config);
    expect(text).not.toMatch(/PRIVATE KEY|"(d|p|q|dp|dq|qi|k)":/);
  });

  it("takes the seed workflow: export, replace the signing key's kid, import — and it takes effect", async () => {
    const { slug, active, staged } = await tenantWithTwoKeys();
    const config = await exportTenantConfig(ADMIN, slug);
    config.signing.activeKid = staged;
    const dry = await importTenantConfig(OPERATOR, slug, config, { dryRun: true });
    expect(dry).toEqual({ applied: false, changes: [{ path: "signing.activeKid", change: "set", before: active, after: staged }] });
    expect((await states(slug))[staged]).toBe("staged");
    const result = await importTenantConfig(OPERATOR, slug, config);
    expect(result.applied).toBe(true);
    expect(await states(slug)).toEqual({ [active]: "retired", [staged]: "active" });
    const jwks = JSON.parse((await jwksSnapshot(slug)).body.toString()) as { keys: { kid: string }[] };
    expect(jwks.keys[0]!.kid).toBe(staged);
    expect(await db().auditEvent.count({ where: { tenantSlug: slug, action: "tenant.config_import" } })).toBe(1);
  });

  it("adds a key given as a private JWK and makes it the signing key; the JWK is write-only", async () => {
    const { slug } = await tenantWithTwoKeys();
    const jwk = { ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }), kid: "brazil-directory-kid" };
    const config = await exportTenantConfig(ADMIN, slug);
    // A key nobody has fetched yet may not sign at once: the import says when it may.
    const early = (await importTenantConfig(OPERATOR, slug, {
      ...config,
      signingKeys: [...config.signingKeys, { jwk }],
      signing: { ...config.signing, activeKid: "brazil-directory-kid" },
    }).catch((e: unknown) => e)) as AppError;
    expect(early.fieldErrors).toEqual([{ path: "signing.activeKid", message: expect.stringMatching(/cannot sign before .*relying parties may not have fetched it yet/) }]);
    expect((await states(slug))["brazil-directory-kid"]).toBeUndefined();
    const staged = await importTenantConfig(OPERATOR, slug, { ...config, signingKeys: [...config.signingKeys, { jwk }] });
    expect(staged.changes.map((c) => c.path)).toEqual(["signingKeys.brazil-directory-kid"]);
    expect((await states(slug))["brazil-directory-kid"]).toBe("staged");
    await backdateKey(slug, "brazil-directory-kid");
    const result = await importTenantConfig(OPERATOR, slug, { ...config, signing: { ...config.signing, activeKid: "brazil-directory-kid" } });
    expect(result.changes.map((c) => c.path)).toEqual(["signing.activeKid"]);
    expect((await states(slug))["brazil-directory-kid"]).toBe("active");
    const after = JSON.stringify(await exportTenantConfig(ADMIN, slug));
    expect(after).toContain("brazil-directory-kid");
    expect(after).not.toContain(jwk.d!);
    const audit = await db().auditEvent.findMany({ where: { tenantSlug: slug } });
    expect(JSON.stringify(audit)).not.toContain(jwk.d!);
  });

  it("reports every problem of a bad import at once and changes nothing", async () => {
    const { slug, active } = await tenantWithTwoKeys();
    const before = await states(slug);
    const events = await db().auditEvent.count({ where: { tenantSlug: slug } });
    const error = (await importTenantConfig(ADMIN, slug, {
      format: "keyward.tenant-config/v1",
      tenant: { slug: "someone_else", name: "Renamed" },
      signingKeys: [{ kid: "no-such-kid" }, { jwk: { kty: "oct", k: "c2VjcmV0" } }],
      signing: { activeKid: "ghost-kid" },
    }).catch((e: unknown) => e)) as { code: string; message: string; fieldErrors: { path: string; message: string }[] };
    expect(error.code).toBe("validation_failed");
    expect(error.message).toMatch(/nothing was changed/);
    expect(error.fieldErrors.map((f) => f.path)).toEqual(["tenant.slug", "signingKeys.0.kid", "signingKeys.1.jwk", "signing.activeKid"]);
    expect(await states(slug)).toEqual(before);
    expect((await db().tenant.findUniqueOrThrow({ where: { slug } })).name).toBe("Config Bank");
    expect(await db().auditEvent.count({ where: { tenantSlug: slug } })).toBe(events);
    expect((await exportTenantConfig(ADMIN, slug)).signing.activeKid).toBe(active);
  });

  it("refuses a wrong format, and settings changes from a non-admin", async () => {
    const { slug } = await tenantWithTwoKeys();
    await expect(importTenantConfig(ADMIN, slug, { format: "other/v9" })).rejects.toMatchObject({ fieldErrors: [{ path: "format" }] });
    await expect(importTenantConfig(OPERATOR, slug, { format: "keyward.tenant-config/v1", tenant: { name: "New name" } })).rejects.toMatchObject({
      fieldErrors: [{ path: "tenant", message: "changing the tenant's settings needs the admin role" }],
    });
    const ok = await importTenantConfig(ADMIN, slug, { format: "keyward.tenant-config/v1", tenant: { name: "New name", jwksMaxAgeSeconds: 120 } });
    expect(ok.changes).toHaveLength(2);
    expect((await jwksSnapshot(slug)).headers["cache-control"]).toBe("public, max-age=120");
    await expect(importTenantConfig(actorWith("viewer"), slug, { format: "keyward.tenant-config/v1" })).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("tenant configuration import, edge cases", () => {
  it("checks new-key entries strictly even with exported members left in, and refuses edits to existing keys", async () => {
    const { slug, active } = await tenantWithTwoKeys();
    const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
    const error = (await importTenantConfig(ADMIN, slug, {
      format: "keyward.tenant-config/v1",
      signingKeys: [
        { jwk, state: "staged", alg: "NOPE", appId: 5 },
        { kid: active, state: "retired", alg: "ES256" },
      ],
    }).catch((e: unknown) => e)) as { fieldErrors: { path: string; message: string }[] };
    expect(error.fieldErrors.map((f) => f.path).sort()).toEqual(["signingKeys.0.alg", "signingKeys.0.appId", "signingKeys.1.alg", "signingKeys.1.state"]);
    expect(error.fieldErrors.find((f) => f.path === "signingKeys.1.state")!.message).toMatch(/an import does not change it/);
  });

  it("re-imports the unedited export of a tenant with no signing key", async () => {
    const slug = (await createTenant(ADMIN, { slug: uniq("nokey").replace(/-/g, "_"), name: "No key" })).slug;
    await addSigningKey(OPERATOR, slug, { source: "generate", alg: "ES256" });
    const config = await exportTenantConfig(ADMIN, slug);
    expect(config.signing.activeKid).toBeNull();
    expect(await importTenantConfig(OPERATOR, slug, config, { dryRun: true })).toEqual({ applied: false, changes: [] });
  });
});

describe("the rotation policy in the configuration", () => {
  it("is exported, and imported with the same checks as the policy endpoint", async () => {
    const { slug } = await tenantWithTwoKeys();
    const config = await exportTenantConfig(ADMIN, slug);
    expect(config.rotationPolicy).toEqual({
      propagationSeconds: 86_400,
      retentionSeconds: 604_800,
      rotationIntervalSeconds: 7_776_000,
      algorithm: null,
      autoActivate: true,
      expiryWarningDays: 30,
      accessTokenTtlSeconds: 300,
    });
    const bad = (await importTenantConfig(ADMIN, slug, {
      ...config,
      rotationPolicy: { ...config.rotationPolicy, propagationSeconds: 10, algorithm: "ES256", retentionSeconds: "long", cadence: 3 },
    }).catch((e: unknown) => e)) as AppError;
    expect(bad.fieldErrors.map((f) => f.path).sort()).toEqual(["rotationPolicy.cadence", "rotationPolicy.retentionSeconds"]);
    const bad2 = (await importTenantConfig(ADMIN, slug, { ...config, rotationPolicy: { ...config.rotationPolicy, propagationSeconds: 10, algorithm: "ES256" } }).catch((e: unknown) => e)) as AppError;
    expect(bad2.fieldErrors).toEqual([
      { path: "rotationPolicy.propagationSeconds", message: "propagation (10 s) must be at least the JWKS max-age (300 s): relying parties may cache the JWKS that long" },
      { path: "rotationPolicy.algorithm", message: "ES256 is not allowed by the tenant's profile (PS256)" },
    ]);
    await expect(importTenantConfig(OPERATOR, slug, { ...config, rotationPolicy: { ...config.rotationPolicy, retentionSeconds: 3600 } })).rejects.toMatchObject({
      fieldErrors: [{ path: "tenant", message: "changing the tenant's settings needs the admin role" }],
    });
    const result = await importTenantConfig(ADMIN, slug, { ...config, rotationPolicy: { ...config.rotationPolicy, retentionSeconds: 3600, rotationIntervalSeconds: null } });
    expect(result.changes).toEqual([
      { path: "rotationPolicy.retentionSeconds", change: "set", before: 604_800, after: 3600 },
      { path: "rotationPolicy.rotationIntervalSeconds", change: "set", before: 7_776_000, after: null },
    ]);
    expect((await exportTenantConfig(ADMIN, slug)).rotationPolicy).toMatchObject({ retentionSeconds: 3600, rotationIntervalSeconds: null });
  });
});

describe("unknown members in an import", () => {
  it("refuses a misnamed section instead of importing nothing, names it and the section it meant, and stores nothing", async () => {
    const { slug, active, staged } = await tenantWithTwoKeys();
    const before = await states(slug);
    const events = await db().auditEvent.count({ where: { tenantSlug: slug } });
    const config = await exportTenantConfig(ADMIN, slug);
    const { signingKeys, ...rest } = config;
    const misnamed = { ...rest, signing: { activeKid: staged, apps: {} }, keys: signingKeys };
    for (const dryRun of [true, false]) {
      const error = (await importTenantConfig(ADMIN, slug, misnamed, { dryRun }).catch((e: unknown) => e)) as AppError;
      expect(error.code).toBe("validation_failed");
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/nothing was changed/);
      expect(error.fieldErrors).toEqual([{ path: "keys", message: 'is not a section of the configuration; did you mean "signingKeys"?' }]);
    }
    expect(await states(slug)).toEqual(before);
    expect(before[active]).toBe("active");
    expect(await db().auditEvent.count({ where: { tenantSlug: slug } })).toBe(events);
  });

  it("names every unknown member at every level with a fixed shape, with the other problems, at once", async () => {
    const { slug, active } = await tenantWithTwoKeys();
    const jwk = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
    const error = (await importTenantConfig(ADMIN, slug, {
      format: "keyward.tenant-config/v1",
      tenant: { nmae: "Typo Bank", jwksMaxAgeSeconds: 120 },
      rotationPolicy: { retention: 3600 },
      signing: { activeKID: active },
      signingKeys: [{ kid: active, certificatePem: "-----BEGIN CERTIFICATE-----" }, { jwk, certificate: "x", publicJwk: { kty: "RSA" } }],
      comment: "hello",
    }).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe("validation_failed");
    expect(error.fieldErrors).toEqual([
      { path: "comment", message: "is not a section of the configuration (known: format, exportedAt, tenant, rotationPolicy, signing, signingKeys)" },
      { path: "tenant.nmae", message: 'is not a tenant setting; did you mean "name"?' },
      { path: "rotationPolicy.retention", message: 'is not a rotation policy setting; did you mean "retentionSeconds"?' },
      { path: "signing.activeKID", message: 'is not a member of signing; did you mean "activeKid"?' },
      {
        path: "signingKeys.0.certificatePem",
        message: 'is not a member of a key the tenant has (a new key is given in "jwk") (known: kid, alg, state, appId, kidStrategy, publicJwk)',
      },
      { path: "signingKeys.1.certificate", message: 'is not a member of a new key; did you mean "certificatePem"?' },
    ]);
    // Unknown members are reported beside the problems the schema finds.
    const mixed = (await importTenantConfig(ADMIN, slug, { format: "other/v9", keys: [] }).catch((e: unknown) => e)) as AppError;
    expect(mixed.fieldErrors.map((f) => f.path)).toEqual(["keys", "format"]);
    expect((await db().tenant.findUniqueOrThrow({ where: { slug } })).jwksMaxAgeSeconds).toBe(300);
  });

  it("takes back every member its own export writes, with app signing keys and an edited name", async () => {
    const { slug } = await tenantWithTwoKeys();
    const appKey = await addSigningKey(OPERATOR, slug, { source: "generate", appId: "app-1" });
    await activateSigningKey(OPERATOR, slug, appKey.kid);
    const config = await exportTenantConfig(ADMIN, slug);
    expect(config.signing.apps).toEqual({ "app-1": appKey.kid });
    expect(await importTenantConfig(ADMIN, slug, structuredClone(config), { dryRun: true })).toEqual({ applied: false, changes: [] });
    const renamed = await importTenantConfig(ADMIN, slug, { ...config, tenant: { ...config.tenant, name: "Renamed Bank" } });
    expect(renamed).toEqual({ applied: true, changes: [{ path: "tenant.name", change: "set", before: "Config Bank", after: "Renamed Bank" }] });
  });
});
