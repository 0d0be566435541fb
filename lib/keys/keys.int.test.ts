import { createPrivateKey, generateKeyPairSync, webcrypto } from "node:crypto";
import "reflect-metadata";
import { X509CertificateGenerator } from "@peculiar/x509";
import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { unsealToString } from "@/lib/crypto/seal";
import { createTenant } from "@/lib/tenants/tenants";
import { addSigningKey, previewSigningKey } from "@/lib/keys/add-key";
import { activateSigningKey } from "@/lib/keys/activate-key";
import { retireSigningKey } from "@/lib/keys/retire-key";
import { removeSigningKey } from "@/lib/keys/remove-key";
import { revokeSigningKey } from "@/lib/keys/revoke-key";
import { createSigningKeyCsr } from "@/lib/keys/csr";
import { attachSigningKeyCertificate } from "@/lib/keys/attach-certificate";
import { listSigningKeys } from "@/lib/keys/list-keys";
import { signForTenant } from "@/lib/keys/sign";
import { signingKeyAad } from "@/lib/keys/key-row";
import { jwksSnapshot } from "@/lib/protocol/jwks";
import { PASSPHRASE, setUpOpensslFixtures } from "@/lib/crypto/test-openssl-fixtures";
import { ADMIN, actorWith, backdateKey, uniq } from "@/tests/integration/helpers";

const OPERATOR = actorWith("operator");
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

const fx = setUpOpensslFixtures((f) => {
  f.rsa();
  f.rsaEncrypted();
  f.rsaOther();
  f.leaf();
  f.intermediate();
});

async function tenant(profile: "generic" | "ob-uk" = "generic") {
  return (await createTenant(ADMIN, { slug: uniq("keys").replace(/-/g, "_"), name: "Keys Bank", profile })).slug;
}

async function jwks(slug: string, appId?: string) {
  const snap = await jwksSnapshot(slug, appId);
  return { status: snap.status, body: JSON.parse(snap.body.toString()) as { keys: Record<string, unknown>[] }, headers: snap.headers, etag: snap.etag };
}

/** A self-signed certificate for `privateKeyPem` valid between the two dates. */
async function certificateFor(privateKeyPem: string, notBefore: Date, notAfter: Date): Promise<string> {
  const key = createPrivateKey(privateKeyPem);
  const alg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const privateKey = await webcrypto.subtle.importKey("pkcs8", key.export({ type: "pkcs8", format: "der" }), alg, false, ["sign"]);
  const publicKey = await webcrypto.subtle.importKey("spki", (await import("node:crypto")).createPublicKey(key).export({ type: "spki", format: "der" }), alg, true, ["verify"]);
  const cert = await X509CertificateGenerator.createSelfSigned({ name: "CN=expired.bank.example", notBefore, notAfter, keys: { privateKey, publicKey }, signingAlgorithm: alg });
  return cert.toString("pem");
}

describe("signing keys", () => {
  it("generates a staged key that is published at once, with public members only, sealed at rest", async () => {
    const slug = await tenant("ob-uk");
    const key = await addSigningKey(OPERATOR, slug, { source: "generate" });
    expect(key).toMatchObject({ state: "staged", alg: "PS256", source: "generate", kidStrategy: "thumbprint" });
    const published = await jwks(slug);
    expect(published.body.keys.map((k) => k.kid)).toEqual([key.kid]);
    for (const m of PRIVATE_MEMBERS) expect(published.body.keys[0]).not.toHaveProperty(m);
    const row = await db().signingKey.findFirstOrThrow({ where: { kid: key.kid } });
    expect(row.privateKeySealed).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain("PRIVATE KEY");
    const pem = unsealToString(row.privateKeySealed!, env().kek, signingKeyAad(row.tenantId, row.kid));
    expect(pem).toContain("BEGIN PRIVATE KEY");
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "key.create", targetId: key.kid } });
    expect(`${audit.after}`).not.toMatch(/PRIVATE KEY|"d":/);
  });

  it("imports a certificate with an encrypted key, with the kid, x5c, x5t and x5t#S256 of the certificate", async () => {
    const slug = await tenant();
    const certificatePem = `${fx.read("leaf.pem")}${fx.read("int.pem")}`;
    const input = { source: "pem", certificatePem, privateKeyPem: fx.read("rsa-enc.pem"), passphrase: PASSPHRASE };
    const preview = await previewSigningKey(OPERATOR, slug, input);
    expect(await db().signingKey.count({ where: { tenant: { slug } } })).toBe(0);
    const key = await addSigningKey(OPERATOR, slug, input);
    expect(key.kid).toBe(preview.kid);
    expect(key.kid).toBe(key.publicJwk.x5t);
    expect(key.publicJwk.x5c).toEqual([fx.base64Der("leaf.pem"), fx.base64Der("int.pem")]);
    expect(key.certificate?.sha256Fingerprint).toBe(fx.fingerprint("leaf.pem", "sha256"));
    expect(key.chainLength).toBe(2);
  });

  it("refuses a mismatched pair and a wrong passphrase, naming the field, and stores nothing", async () => {
    const slug = await tenant();
    const mismatch = await addSigningKey(OPERATOR, slug, { source: "pem", certificatePem: fx.read("leaf.pem"), privateKeyPem: fx.read("rsa-other.pem") }).catch((e: unknown) => e);
    expect(mismatch).toMatchObject({ code: "validation_failed" });
    expect((mismatch as { message: string }).message).toMatch(/do not match/);
    const wrong = await addSigningKey(OPERATOR, slug, { source: "pem", privateKeyPem: fx.read("rsa-enc.pem"), passphrase: "not it" }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ fieldErrors: [{ path: "passphrase" }] });
    const none = await addSigningKey(OPERATOR, slug, { source: "pem", privateKeyPem: fx.read("rsa-enc.pem") }).catch((e: unknown) => e);
    expect(none).toMatchObject({ fieldErrors: [{ path: "passphrase" }] });
    expect(await db().signingKey.count({ where: { tenant: { slug } } })).toBe(0);
    expect(await db().auditEvent.count({ where: { tenantSlug: slug, action: "key.create" } })).toBe(0);
  });

  it("refuses a kid already used in the tenant, and an algorithm the profile does not allow", async () => {
    const slug = await tenant("ob-uk");
    await addSigningKey(OPERATOR, slug, { source: "generate", kid: "directory-kid-1" });
    await expect(addSigningKey(OPERATOR, slug, { source: "generate", kid: "directory-kid-1" })).rejects.toMatchObject({ code: "conflict", fieldErrors: [{ path: "kid" }] });
    await expect(addSigningKey(OPERATOR, slug, { source: "generate", alg: "ES256" })).rejects.toMatchObject({ fieldErrors: [{ path: "alg" }] });
  });

  it("activates one key at a time: the previous one retires and stays published; signing uses the active key", async () => {
    const slug = await tenant();
    const first = await addSigningKey(OPERATOR, slug, { source: "generate", alg: "ES256" });
    await activateSigningKey(OPERATOR, slug, first.kid);
    const signed1 = await signForTenant(slug, { sub: "a" });
    expect(signed1.kid).toBe(first.kid);
    const second = await addSigningKey(OPERATOR, slug, { source: "generate", alg: "PS256" });
    // Published a moment ago: relying parties may not have it, so it may not sign yet.
    await expect(activateSigningKey(OPERATOR, slug, second.kid)).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/propagation time ends at/) });
    await expect(activateSigningKey(OPERATOR, slug, second.kid, { force: true, reason: "" })).rejects.toMatchObject({ fieldErrors: [{ path: "reason" }] });
    await backdateKey(slug, second.kid);
    const activated = await activateSigningKey(OPERATOR, slug, second.kid);
    expect(activated).toMatchObject({ state: "active", forcedReason: null });
    const retired = (await listSigningKeys(actorWith("viewer"), slug)).find((k) => k.kid === first.kid)!;
    // The retired key stays published for the retention (7 days by default).
    expect(Date.parse(retired.removesAt!) - Date.parse(retired.retiredAt!)).toBe(7 * 86_400_000);
    const states = Object.fromEntries((await listSigningKeys(actorWith("viewer"), slug)).map((k) => [k.kid, k.state]));
    expect(states).toEqual({ [first.kid]: "retired", [second.kid]: "active" });
    const published = await jwks(slug);
    expect(published.body.keys.map((k) => k.kid)).toEqual([second.kid, first.kid]);
    const signed2 = await signForTenant(slug, { sub: "b" }, { typ: "at+jwt" });
    expect(signed2).toMatchObject({ kid: second.kid, alg: "PS256" });
    const verified = await jwtVerify(signed2.jwt, createLocalJWKSet(published.body as never));
    expect(verified.payload.sub).toBe("b");
    expect(verified.protectedHeader).toMatchObject({ kid: second.kid, typ: "at+jwt" });
    // A token the retired key signed still verifies against the JWKS.
    expect((await jwtVerify(signed1.jwt, createLocalJWKSet(published.body as never))).payload.sub).toBe("a");
  });

  it("keeps at most one active key even when two activations race", async () => {
    const slug = await tenant();
    const a = await addSigningKey(OPERATOR, slug, { source: "generate", alg: "ES256" });
    const b = await addSigningKey(OPERATOR, slug, { source: "generate", alg: "ES256" });
    await Promise.allSettled([activateSigningKey(OPERATOR, slug, a.kid), activateSigningKey(OPERATOR, slug, b.kid)]);
    expect(await db().signingKey.count({ where: { tenant: { slug }, state: "active" } })).toBe(1);
  });

  it("never lets the tenant lose its signing key by retiring, removing or revoking the active one", async () => {
    const slug = await tenant();
    const key = await addSigningKey(OPERATOR, slug, { source: "generate", alg: "ES256" });
    await activateSigningKey(OPERATOR, slug, key.kid);
    await expect(retireSigningKey(OPERATOR, slug, key.kid)).rejects.toMatchObject({ code: "conflict", status: 409 });
    await expect(removeSigningKey(OPERATOR, slug, key.kid)).rejects.toMatchObject({ code: "conflict" });
    await expect(revokeSigningKey(OPERATOR, slug, key.kid, { reason: "test" })).rejects.toMatchObject({ code: "conflict" });
  });

  it("removes and revokes: out of the JWKS at once, private part destroyed, record kept", async () => {
    const slug = await tenant();
    const a = await addSigningKey(OPERATOR, slug, { source: "generate", alg: "ES256" });
    const b = await addSigningKey(OPERATOR, slug, { source: "generate", alg: "ES256" });
    const before = await jwks(slug);
    expect(before.body.keys).toHaveLength(2);
    expect((await removeSigningKey(OPERATOR, slug, a.kid)).state).toBe("removed");
    expect((await revokeSigningKey(OPERATOR, slug, b.kid, { reason: "key material leaked" })).revokeReason).toBe("key material leaked");
    const after = await jwks(slug);
    expect(after.body.keys).toEqual([]);
    expect(after.etag).not.toBe(before.etag);
    const rows = await db().signingKey.findMany({ where: { tenant: { slug } } });
    expect(rows.map((r) => r.privateKeySealed)).toEqual([null, null]);
    await expect(activateSigningKey(OPERATOR, slug, a.kid)).rejects.toMatchObject({ code: "conflict" });
  });

  it("never activates a key whose certificate has expired", async () => {
    const slug = await tenant();
    const past = await certificateFor(fx.read("rsa.pem"), new Date("2020-01-01"), new Date("2021-01-01"));
    const key = await addSigningKey(OPERATOR, slug, { source: "pem", certificatePem: past, privateKeyPem: fx.read("rsa.pem") });
    expect(key.expiry).toBe("expired");
    await expect(activateSigningKey(OPERATOR, slug, key.kid)).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/expired/) });
  });

  it("makes a CSR for a generated key, then attaches the certificate issued for it (and refuses another key's)", async () => {
    const slug = await tenant();
    const key = await addSigningKey(OPERATOR, slug, { source: "generate", alg: "RS256" });
    const { csrPem } = await createSigningKeyCsr(OPERATOR, slug, key.kid, { subject: "CN=bank.example,O=Bank,C=GB" });
    expect(csrPem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
    fx.write("issued.csr", csrPem);
    fx.openssl("req", "-in", "issued.csr", "-verify", "-noout");
    // A v3 certificate, as a directory issues it (without extensions openssl writes v1, which is refused).
    fx.write("issued.ext", "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n");
    fx.openssl("x509", "-req", "-in", "issued.csr", "-CA", "int.pem", "-CAkey", "int.key", "-CAcreateserial", "-days", "30", "-extfile", "issued.ext", "-out", "issued.pem");
    await expect(attachSigningKeyCertificate(OPERATOR, slug, key.kid, { certificatePem: fx.read("leaf.pem") })).rejects.toMatchObject({
      fieldErrors: [{ path: "certificatePem" }],
    });
    const attached = await attachSigningKeyCertificate(OPERATOR, slug, key.kid, { certificatePem: fx.read("issued.pem") });
    expect(attached.kid).toBe(key.kid);
    expect(attached.certificate?.subject).toContain("CN=bank.example");
    expect(attached.publicJwk.x5c).toEqual([fx.base64Der("issued.pem")]);
    const published = await jwks(slug);
    expect(published.body.keys[0]).toMatchObject({ kid: key.kid, x5t: attached.publicJwk.x5t });
  });

  it("serves app-scoped keys on their own JWKS, and 404 for an unknown app or tenant", async () => {
    const slug = await tenant();
    const appKey = await addSigningKey(OPERATOR, slug, { source: "generate", alg: "ES256", appId: "tpp-app-1" });
    expect((await jwks(slug)).body.keys).toEqual([]);
    expect((await jwks(slug, "tpp-app-1")).body.keys.map((k) => k.kid)).toEqual([appKey.kid]);
    expect((await jwks(slug, "nope")).status).toBe(404);
    expect((await jwks("no_such_tenant")).status).toBe(404);
  });

  it("refuses viewers and bad input", async () => {
    const slug = await tenant();
    await expect(addSigningKey(actorWith("viewer"), slug, { source: "generate" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(addSigningKey(OPERATOR, slug, { source: "pgp" })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(addSigningKey(OPERATOR, slug, { source: "jwk", jwk: { kty: "oct", k: "c2VjcmV0" } })).rejects.toMatchObject({ fieldErrors: [{ path: "jwk" }] });
    const pub = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });
    await expect(addSigningKey(OPERATOR, slug, { source: "jwk", jwk: pub })).rejects.toMatchObject({ fieldErrors: [{ path: "jwk" }] });
  });

  it("leaves no private key in clear anywhere in a database dump", async () => {
    const slug = await tenant();
    await addSigningKey(OPERATOR, slug, { source: "pem", certificatePem: fx.read("leaf.pem"), privateKeyPem: fx.read("rsa.pem") });
    const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
    await addSigningKey(OPERATOR, slug, { source: "jwk", jwk });
    const dump = JSON.stringify(
      await Promise.all([
        db().tenant.findMany(),
        db().user.findMany(),
        db().apiToken.findMany(),
        db().auditEvent.findMany(),
        db().loginThrottle.findMany(),
        db().setting.findMany(),
        db().signingKey.findMany(),
      ]),
    );
    expect(dump).not.toMatch(/PRIVATE KEY/);
    expect(dump).not.toContain(jwk.d!);
    expect(dump).not.toMatch(/\\?"d\\?":/);
  });
});
