import { createHash, generateKeyPairSync, randomUUID, X509Certificate } from "node:crypto";
import { calculateJwkThumbprint, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contract, type RouteSpec } from "@/lib/api/contract";
import { OpensslFixtures, PASSPHRASE } from "@/lib/crypto/test-openssl-fixtures";
import { resetRemoteJwksCacheForTests } from "@/lib/idps/jwks-cache";
import { startTestJwksServer, type TestJwksServer } from "@/lib/jwks-fetch/test-jwks-server";
import { callRoute, tokenFor, uniq } from "./helpers";

/**
 * Every request of docs' admin API examples (the requests scripts and CI rely
 * on), in one walk, sent with exactly the documented field names and shapes
 * through the real route handlers with an admin API token, and every
 * documented field of each answer checked. One bad request per group checks
 * the documented error format.
 */

type Json = Record<string, unknown>;
interface Answer {
  status: number;
  type: string | null;
  body: Json;
  text: string;
}

let token = "";

async function send(spec: RouteSpec, params: Record<string, string>, body?: unknown, query?: string, as = token): Promise<Answer> {
  const res = await callRoute(spec, params, { token: as, body, query });
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type"), body: text ? (JSON.parse(text) as Json) : {}, text };
}

/** The documented error format: problem+json with type, title, status, detail (and field errors when asked for). */
function expectProblem(answer: Answer, status: number, fieldPath?: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.type).toBe("application/problem+json");
  expect(answer.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  expect((answer.body.detail as string).length).toBeGreaterThan(0);
  if (fieldPath !== undefined) {
    const errors = answer.body.errors as { path: string; message: string }[];
    expect(errors, answer.text).toEqual(expect.arrayContaining([{ path: fieldPath, message: expect.any(String) }]));
    for (const e of errors) expect(e.message.length).toBeGreaterThan(0);
  }
}

const CERT_ARMOR = "-----BEGIN CERTIFICATE-----";
const CSR_ARMOR = "-----BEGIN CERTIFICATE REQUEST-----";
const PUBLIC_URL = () => process.env.KEYWARD_PUBLIC_URL!;

describe("the documented admin API requests, as written", () => {
  const fx = new OpensslFixtures();
  let upstream: TestJwksServer;
  const slug = uniq("acme").replace(/-/g, "_");
  const t = { tenant: slug };
  let tokenEndpoint = "";
  const kids: Record<string, string> = {};

  beforeAll(async () => {
    token = await tokenFor("admin");
    upstream = await startTestJwksServer({ alg: "PS256", host: "127.0.0.2" });
    resetRemoteJwksCacheForTests();
  }, 60_000);

  afterAll(async () => {
    await upstream.close();
    fx.cleanup();
  });

  it("meta: GET /health and GET /openapi.json answer without auth", async () => {
    const health = await send(contract.health, {}, undefined, undefined, "");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok" });
    const openapi = await send(contract.openapi, {}, undefined, undefined, "");
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toBe("3.1.0");
    expect(openapi.body.paths).toHaveProperty(["/api/v1/tenants/{tenant}/keys"]);
  });

  it("tenants: POST /tenants → 201 with slug and issuer; GET → 200; PUT rotation-policy → 200; a bad slug is a field error", async () => {
    const created = await send(contract.createTenant, {}, { slug, name: "Acme Bank", profile: "generic" });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ slug, issuer: `${PUBLIC_URL()}/${slug}` });
    tokenEndpoint = created.body.tokenEndpoint as string;
    expect(tokenEndpoint).toBe(`${PUBLIC_URL()}/${slug}/oauth2/token`);
    for (const profile of ["ob-uk", "open-finance-brazil"]) {
      const other = uniq(profile.slice(0, 6)).replace(/-/g, "_");
      const res = await send(contract.createTenant, {}, { slug: other, name: "Acme Bank", profile });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toMatchObject({ slug: other, issuer: `${PUBLIC_URL()}/${other}`, profile });
    }

    const got = await send(contract.getTenant, t);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ slug, name: "Acme Bank", profile: "generic" });

    const policy = await send(contract.updateRotationPolicy, t, {
      propagationSeconds: 3600,
      retentionSeconds: 86_400,
      rotationIntervalDays: null,
      algorithm: "PS256",
      autoActivate: true,
      jwksMaxAgeSeconds: 300,
      expiryWarningDays: 30,
    });
    expect(policy.status, policy.text).toBe(200);
    expect(policy.body).toMatchObject({ propagationSeconds: 3600, retentionSeconds: 86_400, rotationIntervalDays: null, algorithm: "PS256", autoActivate: true, jwksMaxAgeSeconds: 300, expiryWarningDays: 30 });

    const bad = await send(contract.createTenant, {}, { slug: "Acme Bank!", name: "Acme Bank", profile: "generic" });
    expectProblem(bad, 400, "slug");
  });

  it("keys: POST with source generate, pem (with passphrase, kid, kidStrategy) and jwk → 201 staged; list and get → 200", async () => {
    const generated = await send(contract.addKey, t, { source: "generate", alg: "PS256" });
    expect(generated.status, generated.text).toBe(201);
    expect(generated.body).toMatchObject({ kid: expect.any(String), alg: "PS256", state: "staged" });
    kids.generated = generated.body.kid as string;
    for (const alg of ["RS256", "ES256"]) {
      const res = await send(contract.addKey, t, { source: "generate", alg });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toMatchObject({ kid: expect.any(String), alg, state: "staged" });
    }

    const pem = await send(contract.addKey, t, {
      source: "pem",
      certificatePem: fx.leaf(),
      privateKeyPem: fx.rsaEncrypted(),
      passphrase: PASSPHRASE,
      kidStrategy: "x5t#S256",
    });
    expect(pem.status, pem.text).toBe(201);
    expect(pem.body).toMatchObject({ kid: expect.any(String), alg: expect.any(String), state: "staged" });
    kids.pem = pem.body.kid as string;
    const pemWithKid = await send(contract.addKey, t, { source: "pem", certificatePem: fx.selfSignedP256(), privateKeyPem: fx.p256Pkcs8(), kid: "acme-p256" });
    expect(pemWithKid.status, pemWithKid.text).toBe(201);
    expect(pemWithKid.body).toMatchObject({ kid: "acme-p256", alg: "ES256", state: "staged" });
    expect(kids.pem).toBe(createHash("sha256").update(new X509Certificate(fx.leaf()).raw).digest("base64url"));
    for (const kidStrategy of ["thumbprint", "x5t"] as const) {
      fx.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${kidStrategy}.key`, "-out", `${kidStrategy}.pem`, "-days", "365", "-subj", `/CN=${kidStrategy}.acme.example`);
      const cert = new X509Certificate(fx.read(`${kidStrategy}.pem`));
      const res = await send(contract.addKey, t, { source: "pem", certificatePem: fx.read(`${kidStrategy}.pem`), privateKeyPem: fx.read(`${kidStrategy}.key`), kidStrategy });
      expect(res.status, res.text).toBe(201);
      const expected = kidStrategy === "x5t" ? createHash("sha1").update(cert.raw).digest("base64url") : await calculateJwkThumbprint(cert.publicKey.export({ format: "jwk" }) as JWK);
      expect(res.body).toMatchObject({ kid: expected, state: "staged" });
    }

    const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
    const fromJwk = await send(contract.addKey, t, { source: "jwk", jwk, kid: "acme-jwk-1" });
    expect(fromJwk.status, fromJwk.text).toBe(201);
    expect(fromJwk.body).toMatchObject({ kid: "acme-jwk-1", alg: "ES256", state: "staged" });
    expect(fromJwk.text).not.toContain(jwk.d as string);

    const list = await send(contract.listKeys, t);
    expect(list.status).toBe(200);
    expect(list.body).toHaveProperty("nextCursor");
    const items = list.body.items as Json[];
    for (const item of items) expect(item).toMatchObject({ kid: expect.any(String), alg: expect.any(String), state: expect.any(String) });
    expect(items.map((i) => i.kid)).toEqual(expect.arrayContaining([kids.generated, kids.pem, "acme-p256", "acme-jwk-1"]));

    const one = await send(contract.getKey, { ...t, kid: kids.pem });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ kid: kids.pem, state: "staged", createdAt: expect.any(String) });
    expect(one.text).toMatch(/"kty":"RSA"/);
    expect(one.text).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
    expect(one.text).toContain("0015800001HQQrZAAX");

    // Bad input: a PEM whose key does not belong to the certificate; nothing is stored.
    const mismatch = await send(contract.addKey, t, { source: "pem", certificatePem: fx.leaf(), privateKeyPem: fx.rsaOther() });
    expectProblem(mismatch, 400);
    expect((await send(contract.listKeys, t)).body.items).toHaveLength(items.length);
    const badAlg = await send(contract.addKey, t, { source: "generate", alg: "HS256" });
    expectProblem(badAlg, 400, "alg");
  });

  it("keys: CSR → 200 csrPem; certificate signed for it → 200; a certificate of another key is refused", async () => {
    const k = { ...t, kid: kids.generated! };
    const csr = await send(contract.keyCsr, k, { subject: "CN=signing.acme.example,O=Acme Bank" });
    expect(csr.status, csr.text).toBe(200);
    const csrPem = csr.body.csrPem as string;
    expect(csrPem.startsWith(CSR_ARMOR)).toBe(true);
    expect(fx.openssl("req", "-in", fx.path(fx.write("acme.csr", csrPem)), "-noout", "-verify", "-subject")).toMatch(/CN\s*=\s*signing\.acme\.example/);

    fx.intermediate();
    fx.write("acme.ext", "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n");
    fx.openssl("x509", "-req", "-in", "acme.csr", "-CA", "int.pem", "-CAkey", "int.key", "-set_serial", "0x4242", "-days", "365", "-sha256", "-extfile", "acme.ext", "-out", "acme.pem");
    const certificatePem = fx.read("acme.pem");
    expect(certificatePem.startsWith(CERT_ARMOR)).toBe(true);
    const attached = await send(contract.attachCertificate, k, { certificatePem });
    expect(attached.status, attached.text).toBe(200);
    expect(attached.text).toContain("signing.acme.example");

    const other = await send(contract.attachCertificate, k, { certificatePem: fx.leaf() });
    expectProblem(other, 400);
    expect(other.body.detail).toMatch(/match/i);
    const noSubject = await send(contract.keyCsr, k, {});
    expectProblem(noSubject, 400, "subject");
  });

  it("keys: activate → 200 when first, 409 before propagation, 200 with force; retire → 200; revoke → 200; rotate → 202", async () => {
    const first = await send(contract.activateKey, { ...t, kid: kids.generated! }, { force: false });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ kid: kids.generated, state: "active" });

    const early = await send(contract.activateKey, { ...t, kid: "acme-jwk-1" }, { force: false });
    expectProblem(early, 409);
    const forced = await send(contract.activateKey, { ...t, kid: "acme-jwk-1" }, { force: true, reason: "cut-over window agreed with the relying parties" });
    expect(forced.status, forced.text).toBe(200);
    expect(forced.body).toMatchObject({ kid: "acme-jwk-1", state: "active" });

    const retired = await send(contract.retireKey, { ...t, kid: kids.generated! });
    expect(retired.status, retired.text).toBe(200);
    expect(retired.body).toMatchObject({ kid: kids.generated, state: "retired" });

    const revoked = await send(contract.revokeKey, { ...t, kid: kids.pem! }, { reason: "private key copied to a laptop" });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body).toMatchObject({ kid: kids.pem, state: "revoked" });

    const rotated = await send(contract.rotate, t);
    expect(rotated.status, rotated.text).toBe(202);
    expect(rotated.body).toMatchObject({ kid: expect.any(String), activatesAt: expect.any(String) });
    expect(Number.isNaN(Date.parse(rotated.body.activatesAt as string))).toBe(false);
    const pending = await send(contract.getKey, { ...t, kid: rotated.body.kid as string });
    expect(pending.body).toMatchObject({ state: "staged" });

    const noReason = await send(contract.revokeKey, { ...t, kid: "acme-p256" }, {});
    expectProblem(noReason, 400, "reason");
  });

  it("config: GET → 200 public parts only; PUT of that document → 200; PUT with problems → 4xx naming every one", async () => {
    const exported = await send(contract.exportConfig, t);
    expect(exported.status).toBe(200);
    expect(exported.text).toContain(slug);
    expect(exported.text).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
    expect(exported.text).not.toContain("PRIVATE KEY");

    const applied = await send(contract.importConfig, t, exported.body);
    expect(applied.status, applied.text).toBe(200);

    // Problems in every section at once: each is named, nothing is changed.
    const broken = structuredClone(exported.body) as { tenant: Json; rotationPolicy: Json; signingKeys: Json[] };
    broken.tenant.name = "";
    broken.rotationPolicy.propagationSeconds = "a day";
    broken.signingKeys.push({ kid: "no-such-key" }, "a key" as unknown as Json);
    const refused = await send(contract.importConfig, t, broken);
    expectProblem(refused, 400);
    const paths = (refused.body.errors as { path: string }[]).map((e) => e.path);
    const n = broken.signingKeys.length;
    expect(paths.sort()).toEqual(["rotationPolicy.propagationSeconds", `signingKeys.${n - 2}.kid`, `signingKeys.${n - 1}`, "tenant.name"]);
    expect((await send(contract.exportConfig, t)).body.tenant).toEqual(exported.body.tenant);
  });

  it("identity providers: create with jwksUri, jwks or certificatePem → 201 id; refresh → 200 keys / 502 problem; verify → 200 valid", async () => {
    const issuer = "https://idp.acme.example";
    const created = await send(contract.createIdp, t, {
      name: issuer,
      audience: tokenEndpoint,
      jwksUri: upstream.jwksUrl,
      allowedAlgs: ["PS256"],
      fetch: { connectTimeoutMs: 1000, readTimeoutMs: 1000, sizeLimitBytes: 51_200 },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String) });
    const id = created.body.id as string;

    const publicJwk = { ...generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }), kid: "idp-inline-1", alg: "ES256" };
    const inline = await send(contract.createIdp, t, { name: "https://idp2.acme.example", audience: tokenEndpoint, jwks: { keys: [publicJwk] } });
    expect(inline.status, inline.text).toBe(201);
    expect(inline.body).toMatchObject({ id: expect.any(String) });
    const pinned = await send(contract.createIdp, t, { name: "https://idp3.acme.example", audience: tokenEndpoint, certificatePem: fx.selfSignedP256() });
    expect(pinned.status, pinned.text).toBe(201);
    expect(pinned.body).toMatchObject({ id: expect.any(String) });

    const p = { ...t, id };
    const refreshed = await send(contract.refreshIdp, p);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.body).toMatchObject({ keys: [{ kid: upstream.keys[0]!.kid }], fetchedAt: expect.any(String) });

    const now = Math.floor(Date.now() / 1000);
    const jwt = await upstream.sign({ iss: issuer, sub: "psu-1", aud: tokenEndpoint, iat: now, exp: now + 120, jti: randomUUID() });
    const verified = await send(contract.verifyIdpJwt, p, { jwt });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body).toMatchObject({ valid: true, kid: upstream.keys[0]!.kid, claims: { iss: issuer, sub: "psu-1" } });
    const wrongAudience = await upstream.sign({ iss: issuer, sub: "psu-1", aud: "https://elsewhere.example/token", iat: now, exp: now + 120, jti: randomUUID() });
    const invalid = await send(contract.verifyIdpJwt, p, { jwt: wrongAudience });
    expect(invalid.status).toBe(200);
    expect(invalid.body).toMatchObject({ valid: false, errors: [expect.stringMatching(/aud/)] });

    upstream.behave({ kind: "status", status: 500 });
    try {
      const failed = await send(contract.refreshIdp, p);
      expectProblem(failed, 502);
      expect(failed.body.detail).toMatch(/500/);
    } finally {
      upstream.behave({ kind: "jwks" });
    }

    const noJwt = await send(contract.verifyIdpJwt, p, {});
    expectProblem(noJwt, 400, "jwt");
  });

  it("clients: create → 201 clientId (clientSecret once, for client_secret_basic only); keys add → 201 kid, delete → 204", async () => {
    const basic = await send(contract.createClient, t, {
      name: "Acme TPP",
      tokenEndpointAuthMethod: "client_secret_basic",
      redirectUris: ["https://tpp.example/callback"],
      grantTypes: ["client_credentials"],
      scope: "accounts payments",
    });
    expect(basic.status, basic.text).toBe(201);
    expect(basic.body).toMatchObject({ clientId: expect.any(String), clientSecret: expect.any(String) });
    const secret = basic.body.clientSecret as string;
    const again = await send(contract.getClient, { ...t, clientId: basic.body.clientId as string });
    expect(again.status).toBe(200);
    expect(again.text).not.toContain(secret);
    expect(again.body).not.toHaveProperty("clientSecret");

    const tppJwk = { ...generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }), kid: "tpp-key-1" };
    const pkj = await send(contract.createClient, t, { name: "Acme TPP (keys)", tokenEndpointAuthMethod: "private_key_jwt", jwks: { keys: [tppJwk] } });
    expect(pkj.status, pkj.text).toBe(201);
    expect(pkj.body).toMatchObject({ clientId: expect.any(String) });
    expect(pkj.body.clientSecret ?? null).toBeNull();
    const byUri = await send(contract.createClient, t, { name: "Acme TPP (jwks_uri)", tokenEndpointAuthMethod: "private_key_jwt", jwksUri: upstream.jwksUrl });
    expect(byUri.status, byUri.text).toBe(201);
    expect(byUri.body.clientSecret ?? null).toBeNull();
    // tls_client_auth binds the client to its certificate's subject (RFC 8705 §2.1.2): without it, a field error names it.
    const tlsUnbound = await send(contract.createClient, t, { name: "Acme TPP (mTLS)", tokenEndpointAuthMethod: "tls_client_auth" });
    expectProblem(tlsUnbound, 400, "tlsClientAuthSubjectDn");
    const tls = await send(contract.createClient, t, { name: "Acme TPP (mTLS)", tokenEndpointAuthMethod: "tls_client_auth", tlsClientAuthSubjectDn: "CN=tpp.example,O=TPP Ltd" });
    expect(tls.status, tls.text).toBe(201);
    expect(tls.body).toMatchObject({ clientId: expect.any(String) });
    expect(tls.body.clientSecret ?? null).toBeNull();

    const c = { ...t, clientId: pkj.body.clientId as string };
    const byCert = await send(contract.addClientKey, c, { certificatePem: fx.selfSignedP256() });
    expect(byCert.status, byCert.text).toBe(201);
    expect(byCert.body).toMatchObject({ kid: expect.any(String) });
    const another = { ...generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }), kid: "tpp-key-2" };
    const byJwk = await send(contract.addClientKey, c, { jwk: another });
    expect(byJwk.status, byJwk.text).toBe(201);
    expect(byJwk.body).toMatchObject({ kid: "tpp-key-2" });
    const removed = await send(contract.removeClientKey, { ...c, kid: "tpp-key-2" });
    expect(removed.status, removed.text).toBe(204);
    expect(removed.text).toBe("");

    const privateJwk = { ...generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" }), kid: "tpp-key-3" };
    const refusedKey = await send(contract.addClientKey, c, { jwk: privateJwk });
    expectProblem(refusedKey, 400);
    expect(refusedKey.text).not.toContain(privateJwk.d as string);
    const badMethod = await send(contract.createClient, t, { name: "Acme TPP", tokenEndpointAuthMethod: "client_secret_post_maybe" });
    expectProblem(badMethod, 400, "tokenEndpointAuthMethod");
  });

  it("directories: create with jwksUri or jwks → 201 id; a bad environment is a field error", async () => {
    const byUri = await send(contract.createDirectory, t, { name: "Open Banking sandbox", issuer: "OpenBanking Ltd", environment: "sandbox", jwksUri: upstream.jwksUrl });
    expect(byUri.status, byUri.text).toBe(201);
    expect(byUri.body).toMatchObject({ id: expect.any(String) });
    const inline = await send(contract.createDirectory, t, { name: "Open Banking production", issuer: "OpenBanking Ltd", environment: "production", jwks: { keys: [upstream.keys[0]!.publicJwk] } });
    expect(inline.status, inline.text).toBe(201);
    expect(inline.body).toMatchObject({ id: expect.any(String) });

    const bad = await send(contract.createDirectory, t, { name: "Open Banking", issuer: "OpenBanking Ltd", environment: "staging", jwksUri: upstream.jwksUrl });
    expectProblem(bad, 400, "environment");
  });

  it("users: create with and without a password → 201 id; a bad role is a field error", async () => {
    const withPassword = await send(contract.createUser, {}, { email: `${uniq("ops")}@acme.example`, name: "Acme Ops", role: "operator", password: `Pw-${randomUUID()}` });
    expect(withPassword.status, withPassword.text).toBe(201);
    expect(withPassword.body).toMatchObject({ id: expect.any(String) });
    expect(withPassword.text).not.toMatch(/"password"/);
    for (const role of ["viewer", "admin"]) {
      const invited = await send(contract.createUser, {}, { email: `${uniq(role)}@acme.example`, name: `Acme ${role}`, role });
      expect(invited.status, invited.text).toBe(201);
      expect(invited.body).toMatchObject({ id: expect.any(String) });
    }
    const bad = await send(contract.createUser, {}, { email: `${uniq("x")}@acme.example`, name: "X", role: "root" });
    expectProblem(bad, 400, "role");
  });

  it("tokens: create → 201 id and token once; list never shows it; delete → 204 and the token stops working", async () => {
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const name = uniq("ci");
    const created = await send(contract.createToken, {}, { name, role: "viewer", expiresAt });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), token: expect.any(String) });
    const secret = created.body.token as string;
    expect((await send(contract.getTenant, t, undefined, undefined, secret)).status).toBe(200);
    const noExpiry = await send(contract.createToken, {}, { name: uniq("ci"), role: "operator" });
    expect(noExpiry.status, noExpiry.text).toBe(201);

    const list = await send(contract.listTokens, {});
    expect(list.status).toBe(200);
    const mine = (list.body.items as Json[]).find((i) => i.id === created.body.id);
    expect(mine).toMatchObject({ id: created.body.id, name, role: "viewer" });
    expect(mine).toHaveProperty("lastUsedAt");
    expect(mine!.lastUsedAt).not.toBeNull();
    expect(list.text).not.toContain(secret);
    expect(list.text).not.toContain(token);

    const deleted = await send(contract.revokeToken, { id: created.body.id as string });
    expect(deleted.status, deleted.text).toBe(204);
    expectProblem(await send(contract.getTenant, t, undefined, undefined, secret), 401);

    const bad = await send(contract.createToken, {}, { name: uniq("ci"), role: "viewer", expiresAt: "next tuesday" });
    expectProblem(bad, 400, "expiresAt");
  });

  it("audit: GET /audit?tenant=&action=&cursor= → items with at, actor, action, target and nextCursor; a bad cursor is refused", async () => {
    const first = await send(contract.listAudit, {}, undefined, `tenant=${slug}&action=key.*&cursor=&limit=2`);
    expect(first.status, first.text).toBe(200);
    const items = first.body.items as Json[];
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item).toMatchObject({ at: expect.any(String), actor: expect.anything(), action: expect.stringMatching(/^key\./), target: expect.anything() });
      expect(item.tenant).toBe(slug);
    }
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await send(contract.listAudit, {}, undefined, `tenant=${slug}&action=key.*&cursor=${encodeURIComponent(first.body.nextCursor as string)}&limit=2`);
    expect(next.status).toBe(200);
    expect(next.body).toHaveProperty("nextCursor");
    const seen = new Set(items.map((i) => i.id));
    for (const item of next.body.items as Json[]) expect(seen.has(item.id)).toBe(false);

    // The template as written, every filter empty: no filter at all.
    const unfiltered = await send(contract.listAudit, {}, undefined, "tenant=&action=&cursor=");
    expect(unfiltered.status, unfiltered.text).toBe(200);
    expect((unfiltered.body.items as Json[]).length).toBeGreaterThan(0);
    expect(unfiltered.body).toHaveProperty("nextCursor");

    // Nothing in the audit trail carries private key material.
    const all = await send(contract.listAudit, {}, undefined, `tenant=${slug}&limit=200`);
    expect(all.text).not.toContain("PRIVATE KEY");

    const bad = await send(contract.listAudit, {}, undefined, "cursor=not-a-cursor");
    expectProblem(bad, 400);
  });
});
