import { SignJWT, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "@/lib/tenants/tenants";
import { createIdentityProvider } from "@/lib/idps/identity-providers";
import { idpHealth, refreshIdentityProviderKeys, testJwksUri, verifyJwtWithIdentityProvider } from "@/lib/idps/idp-keys";
import { startTestJwksServer, type TestJwksServer } from "@/lib/jwks-fetch/test-jwks-server";
import { ADMIN, actorWith, uniq } from "@/tests/integration/helpers";

const OPERATOR = actorWith("operator");
const VIEWER = actorWith("viewer");
let server: TestJwksServer;

beforeAll(async () => {
  server = await startTestJwksServer({ alg: "PS256", host: "127.0.0.2" });
});
afterAll(() => server.close());

async function setup() {
  const slug = (await createTenant(ADMIN, { slug: uniq("jb").replace(/-/g, "_"), name: "JWT bearer" })).slug;
  const issuer = `https://${uniq("idp")}.bank.example`;
  // A distinct path per test: each IdP gets its own cache entry.
  const idp = await createIdentityProvider(OPERATOR, slug, { name: issuer, jwksUri: `${server.jwksUrl}?t=${uniq("c")}` });
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: issuer, aud: idp.audience, sub: "customer-42", iat: now, exp: now + 300, jti: uniq("jti") };
  return { slug, idp, claims, now };
}

const failed = (result: { checks: { name: string; ok: boolean; detail: string }[] }) =>
  Object.fromEntries(result.checks.filter((c) => !c.ok).map((c) => [c.name, c.detail]));

describe("identity provider keys and the JWT tester", () => {
  it("fetches the IdP's keys on Refresh and shows its health", async () => {
    const { slug, idp } = await setup();
    const result = await refreshIdentityProviderKeys(OPERATOR, slug, idp.id);
    expect(result.keys).toEqual([{ kid: server.keys[0]!.kid, kty: "RSA", alg: "PS256", certificateExpiry: null }]);
    expect(idpHealth(idp.jwksUri)?.lastSuccessAt).not.toBeNull();
    await expect(refreshIdentityProviderKeys(VIEWER, slug, idp.id)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("accepts a good assertion, passing every check", async () => {
    const { slug, idp, claims } = await setup();
    const result = await verifyJwtWithIdentityProvider(VIEWER, slug, idp.id, { jwt: await server.sign(claims) });
    expect(failed(result)).toEqual({});
    expect(result.valid).toBe(true);
    expect(result.checks.map((c) => c.name)).toEqual(["format", "alg", "header", "iss", "kid", "signature", "aud", "exp", "nbf", "iat", "lifetime", "sub", "jti"]);
  });

  it("names the check that fails for each bad assertion", async () => {
    const { slug, idp, claims, now } = await setup();
    const check = async (jwt: string) => failed(await verifyJwtWithIdentityProvider(VIEWER, slug, idp.id, { jwt }));
    expect(await check(await server.sign({ ...claims, iat: now - 4000, exp: now - 3000 }))).toMatchObject({ exp: expect.stringMatching(/^expired at /) });
    expect(await check(await server.sign({ ...claims, aud: "https://someone-else.example/token" }))).toMatchObject({ aud: expect.stringMatching(/must contain/) });
    expect(await check(await server.sign({ ...claims, iss: "https://impostor.example" }))).toMatchObject({ iss: expect.stringMatching(/expected/) });
    expect(await check(await server.sign({ ...claims, sub: undefined }))).toMatchObject({ sub: "sub is missing" });
    expect(await check(await server.sign({ ...claims, exp: now + 7200 }))).toMatchObject({ lifetime: expect.stringMatching(/at most 3600 s/) });
    expect(await check(await server.sign({ ...claims, nbf: now + 600 }))).toMatchObject({ nbf: expect.stringMatching(/not valid before/) });
    expect(await check(await server.sign({ ...claims, iat: now + 600, exp: now + 900 }))).toMatchObject({ iat: expect.stringMatching(/future/) });
    const [h, p] = (await server.sign(claims)).split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${p}.`;
    expect(await check(none)).toMatchObject({ format: expect.stringMatching(/no signature \(an unsecured JWT is never accepted\)/) });
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("x".repeat(32)));
    expect(await check(hs)).toMatchObject({ alg: expect.stringMatching(/never accepted/) });
    expect(await check(`${h}.${p}.${"A".repeat(342)}`)).toMatchObject({ signature: expect.stringMatching(/does not verify/) });
    const stranger = await generateKeyPair("PS256");
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: "PS256", kid: "not-a-kid-of-the-idp" }).sign(stranger.privateKey);
    expect(await check(foreign)).toMatchObject({ kid: expect.stringMatching(/no key "not-a-kid-of-the-idp"/) });
    expect(await check("not.a.jwt.at-all")).toMatchObject({ format: expect.stringMatching(/not a signed JWT/) });
  });

  it("keeps verifying with the cached keys while the upstream fails, and refresh reports the fault as 502", async () => {
    const { slug, idp, claims } = await setup();
    const jwt = await server.sign(claims);
    expect((await verifyJwtWithIdentityProvider(VIEWER, slug, idp.id, { jwt })).valid).toBe(true);
    server.behave({ kind: "status", status: 500 });
    try {
      await expect(refreshIdentityProviderKeys(OPERATOR, slug, idp.id)).rejects.toMatchObject({ code: "upstream_failed", status: 502, message: expect.stringMatching(/HTTP 500/) });
      expect((await verifyJwtWithIdentityProvider(VIEWER, slug, idp.id, { jwt })).valid).toBe(true);
      expect(idpHealth(idp.jwksUri)?.lastError?.message).toMatch(/HTTP 500/);
    } finally {
      server.behave({ kind: "jwks" });
    }
  });

  it("accepts the IdP's rolled key within one refetch interval, with no action in Keyward", async () => {
    const { slug, idp, claims } = await setup();
    expect((await verifyJwtWithIdentityProvider(VIEWER, slug, idp.id, { jwt: await server.sign(claims) })).valid).toBe(true);
    const rolled = await server.rotate({ keep: true });
    const jwt = await server.sign(claims, { kid: rolled.kid });
    const started = Date.now();
    let valid = false;
    while (!valid && Date.now() - started < 7000) {
      valid = (await verifyJwtWithIdentityProvider(VIEWER, slug, idp.id, { jwt })).valid;
      if (!valid) await new Promise((r) => setTimeout(r, 250));
    }
    expect(valid).toBe(true);
    expect(Date.now() - started).toBeLessThanOrEqual(6000);
  });

  it("tests a jwks_uri before it is registered: keys found, a refused address, an upstream fault", async () => {
    const ok = await testJwksUri(OPERATOR, { jwksUri: server.jwksUrl });
    expect(ok.keys.map((k) => k.kid)).toContain(server.keys[0]!.kid);
    await expect(testJwksUri(OPERATOR, { jwksUri: "http://169.254.169.254/latest/meta-data/jwks" })).rejects.toMatchObject({
      code: "validation_failed",
      fieldErrors: [{ path: "jwksUri" }],
    });
    server.behave({ kind: "status", status: 503 });
    try {
      await expect(testJwksUri(OPERATOR, { jwksUri: server.jwksUrl })).rejects.toMatchObject({ code: "upstream_failed", message: expect.stringMatching(/HTTP 503/) });
    } finally {
      server.behave({ kind: "jwks" });
    }
    await expect(testJwksUri(VIEWER, { jwksUri: server.jwksUrl })).rejects.toMatchObject({ code: "forbidden" });
  });
});
