import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant } from "@/lib/tenants/tenants";
import {
  createIdentityProvider,
  deleteIdentityProvider,
  getIdentityProvider,
  listIdentityProviders,
  updateIdentityProvider,
} from "@/lib/idps/identity-providers";
import { setUpOpensslFixtures } from "@/lib/crypto/test-openssl-fixtures";
import { ADMIN, actorWith, uniq } from "@/tests/integration/helpers";

const OPERATOR = actorWith("operator");
const fx = setUpOpensslFixtures((f) => {
  f.leaf();
  f.selfSignedP256();
});

async function tenant() {
  return (await createTenant(ADMIN, { slug: uniq("idp").replace(/-/g, "_"), name: "IdP Bank" })).slug;
}

const publicJwk = () => ({ ...generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }), kid: uniq("k") });

describe("identity providers", () => {
  it("registers an IdP by jwks_uri with the documented defaults, audited", async () => {
    const slug = await tenant();
    const idp = await createIdentityProvider(OPERATOR, slug, { name: "https://idp.bank.example", jwksUri: "https://idp.bank.example/jwks" });
    expect(idp).toMatchObject({
      name: "https://idp.bank.example",
      audience: `http://keyward.test/${slug}/oauth2/token`,
      keySource: "jwks_uri",
      jwksUri: "https://idp.bank.example/jwks",
      allowedAlgs: ["PS256", "RS256", "ES256", "ES384", "EdDSA"],
      enabled: true,
      maxAssertionLifetimeSeconds: 3600,
      clockSkewSeconds: 60,
      refuseJtiReuse: true,
      fetch: { connectTimeoutMs: 1000, readTimeoutMs: 1000, sizeLimitBytes: 51200 },
    });
    expect((await listIdentityProviders(actorWith("viewer"), slug)).map((i) => i.id)).toEqual([idp.id]);
    expect(await db().auditEvent.count({ where: { action: "idp.create", targetId: idp.id } })).toBe(1);
  });

  it("refuses a jwks_uri aimed at private, loopback, link-local or metadata addresses, and plain http, saying why", async () => {
    const slug = await tenant();
    for (const uri of ["https://169.254.169.254/latest/meta-data", "https://127.0.0.1/jwks", "https://10.0.0.8/jwks", "https://[::1]/jwks", "http://idp.bank.example/jwks"]) {
      const error = (await createIdentityProvider(OPERATOR, slug, { name: `iss-${uri}`, jwksUri: uri }).catch((e: unknown) => e)) as {
        code: string;
        fieldErrors: { path: string; message: string }[];
      };
      expect(error.code, uri).toBe("validation_failed");
      expect(error.fieldErrors[0]!.path).toBe("jwksUri");
    }
    expect(await db().identityProvider.count({ where: { tenant: { slug } } })).toBe(0);
  });

  it("takes an inline JWKS of public keys, and refuses private or symmetric keys naming them", async () => {
    const slug = await tenant();
    const key = publicJwk();
    const idp = await createIdentityProvider(OPERATOR, slug, { name: "inline-issuer", jwks: { keys: [key] } });
    expect(idp.jwks?.keys[0]).toMatchObject({ kid: key.kid, kty: "EC" });
    const priv = { ...generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" }), kid: "leaky" };
    await expect(createIdentityProvider(OPERATOR, slug, { name: "leaky", jwks: { keys: [priv] } })).rejects.toMatchObject({
      fieldErrors: [{ path: "jwks.keys.0", message: expect.stringMatching(/key "leaky" holds private members \(d\)/) }],
    });
    await expect(createIdentityProvider(OPERATOR, slug, { name: "hmac", jwks: { keys: [{ kty: "oct", k: "c2VjcmV0" }] } })).rejects.toMatchObject({
      fieldErrors: [{ path: "jwks.keys.0", message: expect.stringMatching(/symmetric/) }],
    });
  });

  it("takes PEM certificates as keys with their x5t as kid", async () => {
    const slug = await tenant();
    const idp = await createIdentityProvider(OPERATOR, slug, { name: "cert-issuer", certificatePem: `${fx.read("leaf.pem")}\n${fx.read("self-p256.pem")}` });
    expect(idp.keySource).toBe("certificates");
    expect(idp.jwks?.keys).toHaveLength(2);
    for (const k of idp.jwks!.keys) expect(k.kid).toBe(k.x5t);
  });

  it("refuses duplicates and bad input, and several key sources at once", async () => {
    const slug = await tenant();
    await createIdentityProvider(OPERATOR, slug, { name: "dup", jwks: { keys: [publicJwk()] } });
    await expect(createIdentityProvider(OPERATOR, slug, { name: "dup", jwks: { keys: [publicJwk()] } })).rejects.toMatchObject({ code: "conflict", fieldErrors: [{ path: "name" }] });
    await expect(createIdentityProvider(OPERATOR, slug, { name: "two", jwks: { keys: [publicJwk()] }, jwksUri: "https://x.example/jwks" })).rejects.toMatchObject({
      fieldErrors: [{ path: "jwksUri", message: expect.stringMatching(/exactly one key source/) }],
    });
    await expect(createIdentityProvider(OPERATOR, slug, { name: "none-alg", jwksUri: "https://x.example/jwks", allowedAlgs: ["none"] })).rejects.toMatchObject({
      code: "validation_failed",
    });
    await expect(createIdentityProvider(OPERATOR, slug, { name: "hs", jwksUri: "https://x.example/jwks", allowedAlgs: ["HS256"] })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("keeps tenants apart, updates and deletes with audit, and refuses viewers", async () => {
    const slug = await tenant();
    const other = await tenant();
    const idp = await createIdentityProvider(OPERATOR, slug, { name: "apart", jwks: { keys: [publicJwk()] } });
    await expect(getIdentityProvider(OPERATOR, other, idp.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(updateIdentityProvider(OPERATOR, other, idp.id, { enabled: false })).rejects.toMatchObject({ code: "not_found" });
    const updated = await updateIdentityProvider(OPERATOR, slug, idp.id, { enabled: false, clockSkewSeconds: 5, allowedAlgs: ["ES256"] });
    expect(updated).toMatchObject({ enabled: false, clockSkewSeconds: 5, allowedAlgs: ["ES256"] });
    await expect(createIdentityProvider(actorWith("viewer"), slug, { name: "v", jwksUri: "https://x.example/jwks" })).rejects.toMatchObject({ code: "forbidden" });
    await deleteIdentityProvider(OPERATOR, slug, idp.id);
    await expect(getIdentityProvider(OPERATOR, slug, idp.id)).rejects.toMatchObject({ code: "not_found" });
    const actions = (await db().auditEvent.findMany({ where: { targetId: idp.id } })).map((a) => a.action).sort();
    expect(actions).toEqual(["idp.create", "idp.delete", "idp.update"]);
  });
});
