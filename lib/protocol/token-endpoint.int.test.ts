import http from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "@/lib/tenants/tenants";
import { addSigningKey } from "@/lib/keys/add-key";
import { activateSigningKey } from "@/lib/keys/activate-key";
import { createIdentityProvider } from "@/lib/idps/identity-providers";
import { createClient } from "@/lib/clients/clients";
import { handleProtocolRequest } from "@/lib/protocol/router";
import { startTestJwksServer, type TestJwksServer } from "@/lib/jwks-fetch/test-jwks-server";
import { ADMIN, actorWith, uniq } from "@/tests/integration/helpers";

const OPERATOR = actorWith("operator");
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
let server: http.Server;
let base: string;
let idpServer: TestJwksServer;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (!handleProtocolRequest(req, res)) {
      res.writeHead(418);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  idpServer = await startTestJwksServer({ alg: "PS256", host: "127.0.0.2" });
});
afterAll(async () => {
  await idpServer.close();
  await new Promise<void>((r) => server.close(() => r()));
});

async function setup(grantTypes: string[] = [JWT_BEARER, "client_credentials"]) {
  const slug = (await createTenant(ADMIN, { slug: uniq("tok").replace(/-/g, "_"), name: "Token Bank", profile: "ob-uk" })).slug;
  const key = await addSigningKey(OPERATOR, slug, { source: "generate" });
  await activateSigningKey(OPERATOR, slug, key.kid);
  const issuer = `https://${uniq("idp")}.bank.example`;
  const idp = await createIdentityProvider(OPERATOR, slug, { name: issuer, jwksUri: `${idpServer.jwksUrl}?t=${uniq("c")}` });
  const client = await createClient(OPERATOR, slug, { name: "TPP", tokenEndpointAuthMethod: "client_secret_basic", grantTypes, scope: "accounts payments" });
  const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: issuer, aud: idp.audience, sub: "psu-1234", iat: now, exp: now + 120, jti: uniq("jti") };
  return { slug, key, idp, client, basic, claims, tokenUrl: `${base}/${slug}/oauth2/token` };
}

async function post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(form).toString() });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe("the token endpoint", () => {
  it("exchanges an IdP's assertion for an RFC 9068 access token signed by the tenant's active key", async () => {
    const s = await setup();
    const res = await post(s.tokenUrl, { grant_type: JWT_BEARER, assertion: await idpServer.sign(s.claims), scope: "accounts" }, { authorization: s.basic });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toMatchObject({ token_type: "Bearer", expires_in: 300, scope: "accounts" });
    const jwks = (await (await fetch(`${base}/${s.slug}/oauth2/v1/certs`)).json()) as never;
    const { payload, protectedHeader } = await jwtVerify(String(res.body.access_token), createLocalJWKSet(jwks), {
      typ: "at+jwt",
      issuer: `http://keyward.test/${s.slug}`,
    });
    expect(protectedHeader).toMatchObject({ alg: "PS256", kid: s.key.kid, typ: "at+jwt" });
    expect(payload).toMatchObject({ sub: "psu-1234", client_id: s.client.clientId, scope: "accounts" });
    expect(typeof payload.jti).toBe("string");
  });

  it("refuses a replayed assertion, and each bad assertion with invalid_grant and a precise description", async () => {
    const s = await setup();
    const form = (assertion: string) => ({ grant_type: JWT_BEARER, assertion });
    const once = await idpServer.sign(s.claims);
    expect((await post(s.tokenUrl, form(once), { authorization: s.basic })).status).toBe(200);
    expect((await post(s.tokenUrl, form(once), { authorization: s.basic })).body).toEqual({ error: "invalid_grant", error_description: "jti: this assertion was already used" });
    const now = Math.floor(Date.now() / 1000);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ exp: now - 120, iat: now - 200 }, /^exp: expired at/],
      [{ aud: "https://elsewhere.example/token" }, /^aud: /],
      [{ iss: "https://unknown-idp.example" }, /^iss: no identity provider/],
      [{ sub: undefined }, /^sub: sub is missing/],
      [{ jti: undefined }, /^jti: jti is missing/],
    ];
    for (const [change, description] of cases) {
      const res = await post(s.tokenUrl, form(await idpServer.sign({ ...s.claims, jti: uniq("j"), ...change })), { authorization: s.basic });
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect(res.body.error).toBe("invalid_grant");
      expect(String(res.body.error_description)).toMatch(description);
    }
    const hs = await new SignJWT({ ...s.claims, jti: uniq("j") }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("k".repeat(32)));
    expect((await post(s.tokenUrl, form(hs), { authorization: s.basic })).body.error_description).toMatch(/^alg: /);
  });

  it("authenticates clients: a wrong secret or none is invalid_client with 401 and WWW-Authenticate", async () => {
    const s = await setup();
    const wrong = `Basic ${Buffer.from(`${s.client.clientId}:not-the-secret`).toString("base64")}`;
    const res = await post(s.tokenUrl, { grant_type: "client_credentials" }, { authorization: wrong });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect(res.body).toEqual({ error: "invalid_client", error_description: "the client secret is wrong" });
    expect((await post(s.tokenUrl, { grant_type: "client_credentials", client_id: s.client.clientId })).status).toBe(401);
  });

  it("issues client_credentials tokens with the client as subject, and checks scope and grant", async () => {
    const s = await setup(["client_credentials"]);
    const ok = await post(s.tokenUrl, { grant_type: "client_credentials" }, { authorization: s.basic });
    expect(ok.status).toBe(200);
    expect(ok.body.scope).toBe("accounts payments");
    expect((await post(s.tokenUrl, { grant_type: "client_credentials", scope: "admin" }, { authorization: s.basic })).body).toMatchObject({ error: "invalid_scope" });
    expect((await post(s.tokenUrl, { grant_type: JWT_BEARER, assertion: "x" }, { authorization: s.basic })).body).toMatchObject({ error: "unauthorized_client" });
    expect((await post(s.tokenUrl, { grant_type: "password" }, { authorization: s.basic })).body).toMatchObject({ error: "unsupported_grant_type" });
  });

  it("authenticates private_key_jwt clients with a single-use client assertion", async () => {
    const s = await setup();
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const client = await createClient(OPERATOR, s.slug, {
      name: "TPP with keys",
      tokenEndpointAuthMethod: "private_key_jwt",
      grantTypes: ["client_credentials"],
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: "tpp-key-1", alg: "ES256" }] },
    });
    const assertion = await new SignJWT({ jti: uniq("ca") })
      .setProtectedHeader({ alg: "ES256", kid: "tpp-key-1" })
      .setIssuer(client.clientId)
      .setSubject(client.clientId)
      .setAudience(s.tokenUrl.replace(base, "http://keyward.test"))
      .setIssuedAt()
      .setExpirationTime("2m")
      .sign(privateKey);
    const form = { grant_type: "client_credentials", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion };
    expect((await post(s.tokenUrl, form)).status).toBe(200);
    const again = await post(s.tokenUrl, form);
    expect(again.status).toBe(401);
    expect(again.body.error_description).toMatch(/already used/);
  });

  it("accepts only the client's registered token_endpoint_auth_signing_alg on its assertions", async () => {
    const s = await setup();
    const ec = await generateKeyPair("ES256");
    const rsa = await generateKeyPair("PS256");
    const client = await createClient(OPERATOR, s.slug, {
      name: "TPP signing with PS256 only",
      tokenEndpointAuthMethod: "private_key_jwt",
      tokenEndpointAuthSigningAlg: "PS256",
      jwks: { keys: [{ ...(await exportJWK(ec.publicKey)), kid: "ec" }, { ...(await exportJWK(rsa.publicKey)), kid: "rsa" }] },
    });
    const assertion = (alg: string, kid: string, key: CryptoKey) =>
      new SignJWT({ jti: uniq("ca") })
        .setProtectedHeader({ alg, kid })
        .setIssuer(client.clientId)
        .setSubject(client.clientId)
        .setAudience(s.tokenUrl.replace(base, "http://keyward.test"))
        .setIssuedAt()
        .setExpirationTime("2m")
        .sign(key);
    const form = async (jwt: Promise<string>) => ({ grant_type: "client_credentials", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: await jwt });
    const refused = await post(s.tokenUrl, await form(assertion("ES256", "ec", ec.privateKey)));
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: "invalid_client", error_description: 'client_assertion refused: alg "ES256" is not allowed (PS256)' });
    expect((await post(s.tokenUrl, await form(assertion("PS256", "rsa", rsa.privateKey)))).status).toBe(200);
  });

  it("refuses malformed requests with invalid_request", async () => {
    const s = await setup();
    const json = await fetch(s.tokenUrl, { method: "POST", headers: { "content-type": "application/json", authorization: s.basic }, body: "{}" });
    expect(json.status).toBe(415);
    expect(((await json.json()) as { error_description: string }).error_description).toMatch(/application\/x-www-form-urlencoded/);
    const repeated = await fetch(s.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: s.basic },
      body: "grant_type=client_credentials&grant_type=client_credentials",
    });
    expect(await repeated.json()).toEqual({ error: "invalid_request", error_description: 'the parameter "grant_type" is repeated' });
    expect((await fetch(s.tokenUrl)).status).toBe(405);
    const discovery = (await (await fetch(`${base}/${s.slug}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      token_endpoint: `http://keyward.test/${s.slug}/oauth2/token`,
      grant_types_supported: [JWT_BEARER, "client_credentials"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "private_key_jwt", "tls_client_auth"],
    });
  });

  it("a storm of assertions with an unknown kid fetches the IdP's JWKS at most once per interval, also while it fails", async () => {
    const s = await setup();
    // Fill the cache, then send 200 assertions at once signed by a key the IdP does not publish.
    expect((await post(s.tokenUrl, { grant_type: JWT_BEARER, assertion: await idpServer.sign({ ...s.claims, jti: uniq("j") }) }, { authorization: s.basic })).status).toBe(200);
    const path = new URL(s.idp.jwksUri!).pathname;
    const before = idpServer.requestsTo(path);
    const stranger = await generateKeyPair("PS256");
    const storm = async () =>
      Promise.all(
        Array.from({ length: 200 }, async () =>
          post(
            s.tokenUrl,
            {
              grant_type: JWT_BEARER,
              assertion: await new SignJWT({ ...s.claims, jti: uniq("s") }).setProtectedHeader({ alg: "PS256", kid: "rolled-but-unknown" }).sign(stranger.privateKey),
            },
            { authorization: s.basic },
          ),
        ),
      );
    const wave1 = await storm();
    expect(wave1.every((r) => r.status === 400 && String(r.body.error_description).startsWith("kid: "))).toBe(true);
    await storm();
    expect(idpServer.requestsTo(path) - before).toBeLessThanOrEqual(1);
    idpServer.behave({ kind: "status", status: 500 });
    try {
      const failingBefore = idpServer.requestsTo(path);
      await storm();
      await storm();
      expect(idpServer.requestsTo(path) - failingBefore).toBeLessThanOrEqual(1);
      // Known keys keep working from the cache meanwhile.
      expect((await post(s.tokenUrl, { grant_type: JWT_BEARER, assertion: await idpServer.sign({ ...s.claims, jti: uniq("j") }) }, { authorization: s.basic })).status).toBe(200);
    } finally {
      idpServer.behave({ kind: "jwks" });
    }
  });
});
