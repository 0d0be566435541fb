import { randomUUID } from "node:crypto";
import { generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant } from "@/lib/tenants/tenants";
import { rotateNow } from "@/lib/rotation/rotate";
import { createDirectory, issueSandboxSsa } from "@/lib/directories/directories";
import { testRegistrationRequest } from "@/lib/dcr/tester";
import { startTestJwksServer, type TestJwksServer } from "@/lib/jwks-fetch/test-jwks-server";
import { ADMIN, actorWith, uniq, startProtocolServer } from "@/tests/integration/helpers";
import { registrationClaims, ssaClaims as sharedSsaClaims } from "@/tests/integration/dcr-claims";

const OPERATOR = actorWith("operator");
const REDIRECT = "https://tpp.example/callback";

let closeServer: () => Promise<void>;
let base: string;
let directory: TestJwksServer; // the open-banking directory: signs SSAs
let tpp: TestJwksServer; // the TPP's software: signs registration requests and client assertions
let stranger: TestJwksServer; // keys nobody trusts

beforeAll(async () => {
  ({ base, close: closeServer } = await startProtocolServer());
  [directory, tpp, stranger] = await Promise.all([
    startTestJwksServer({ alg: "PS256", host: "127.0.0.2" }),
    startTestJwksServer({ alg: "PS256", host: "127.0.0.2" }),
    startTestJwksServer({ alg: "PS256", host: "127.0.0.2" }),
  ]);
});
afterAll(async () => {
  await Promise.all([directory.close(), tpp.close(), stranger.close()]);
  await closeServer();
});

async function bank(profile: "ob-uk" | "generic" = "ob-uk") {
  const slug = (await createTenant(ADMIN, { slug: uniq("dcr").replace(/-/g, "_"), name: "DCR Bank", profile })).slug;
  await rotateNow(OPERATOR, slug); // a signing key for the tokens
  await createDirectory(OPERATOR, slug, { kind: "external", name: "Open Banking sandbox", issuer: "OpenBanking Ltd", environment: "sandbox", jwksUri: directory.jwksUrl });
  return { slug, issuer: `http://keyward.test/${slug}` };
}

const ssaClaims = (softwareId: string, over: JWTPayload = {}) =>
  sharedSsaClaims(softwareId, { jwksEndpoint: tpp.jwksUrl, redirectUris: [REDIRECT, "https://tpp.example/other"] }, over);
const requestClaims = (issuer: string, softwareId: string, ssa: string, over: JWTPayload = {}) =>
  registrationClaims(issuer, softwareId, ssa, { redirectUri: REDIRECT }, over);

async function validRequest(issuer: string, over: { ssa?: JWTPayload; request?: JWTPayload } = {}) {
  const softwareId = uniq("sw");
  const ssa = await directory.sign(ssaClaims(softwareId, over.ssa));
  return { softwareId, jwt: await tpp.sign(requestClaims(issuer, softwareId, ssa, over.request)) };
}

async function send(slug: string, body: string, init: { method?: string; path?: string; contentType?: string; token?: string } = {}) {
  const res = await fetch(`${base}/${slug}/register${init.path ?? ""}`, {
    method: init.method ?? "POST",
    headers: { "content-type": init.contentType ?? "application/jwt", ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.method === "GET" || init.method === "DELETE" ? undefined : body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

const clientCount = async (slug: string) => db().client.count({ where: { tenant: { slug } } });

/** client_credentials for a registered client, authenticating with a key of its software. */
async function clientToken(slug: string, issuer: string, clientId: string, scope: string) {
  const now = Math.floor(Date.now() / 1000);
  const assertion = await tpp.sign({ iss: clientId, sub: clientId, aud: `${issuer}/oauth2/token`, iat: now, exp: now + 60, jti: randomUUID() });
  const res = await fetch(`${base}/${slug}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion, scope }).toString(),
  });
  return { status: res.status, body: (await res.json()) as { error?: string } };
}

describe("Dynamic Client Registration", () => {
  it("registers a client from a valid Open Banking style request; the client gets tokens with private_key_jwt at once", async () => {
    const { slug, issuer } = await bank();
    const { softwareId, jwt } = await validRequest(issuer);
    const res = await send(slug, jwt);
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toMatchObject({
      client_id: expect.stringMatching(/^kwc_/),
      client_id_issued_at: expect.any(Number),
      registration_access_token: expect.stringMatching(/^kwr_/),
      registration_client_uri: `${issuer}/register/${String(res.body.client_id)}`,
      software_id: softwareId,
      client_name: "Test TPP",
      org_id: "0015800001041REAAY",
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: "private_key_jwt",
      token_endpoint_auth_signing_alg: "PS256",
      grant_types: ["authorization_code", "client_credentials", "refresh_token"],
      response_types: ["code"],
      jwks_uri: tpp.jwksUrl,
      scope: "openid accounts payments",
      software_statement: expect.stringMatching(/^ey/),
    });
    const row = await db().client.findUniqueOrThrow({ where: { clientId: String(res.body.client_id) } });
    expect(row).toMatchObject({ registeredVia: "dcr", softwareId, orgName: "Test TPP Ltd" });
    expect(row.registrationAccessTokenHash).not.toContain(String(res.body.registration_access_token));
    const audit = await db().auditEvent.findFirstOrThrow({ where: { tenantSlug: slug, action: "client.register" } });
    expect(audit).toMatchObject({ actorType: "client", actorLabel: `dcr:${softwareId}` });
    expect(JSON.stringify(audit)).not.toContain(String(res.body.registration_access_token));

    // The new client authenticates with a key of its software at the token endpoint.
    const now = Math.floor(Date.now() / 1000);
    const tokenEndpoint = `${issuer}/oauth2/token`;
    const assertion = await tpp.sign({ iss: String(res.body.client_id), sub: String(res.body.client_id), aud: tokenEndpoint, iat: now, exp: now + 60, jti: randomUUID() });
    const token = await fetch(`${base}/${slug}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
        scope: "accounts",
      }).toString(),
    });
    expect(token.status).toBe(200);
    expect(((await token.json()) as { token_type: string }).token_type).toBe("Bearer");
  });

  it("refuses every broken request with its own error and reason, and stores nothing", async () => {
    const { slug, issuer } = await bank();
    const sid = () => uniq("sw");
    const ssaFor = (id: string, over: JWTPayload = {}) => directory.sign(ssaClaims(id, over));
    const cases: [string, () => Promise<string>, string, RegExp][] = [
      ["iss is not the software_id", async () => (await validRequest(issuer, { request: { iss: "someone-else" } })).jwt, "invalid_client_metadata", /^request\.iss: iss "someone-else" is not the software statement's software_id/],
      ["aud is another issuer", async () => (await validRequest(issuer, { request: { aud: "https://other-bank.example" } })).jwt, "invalid_client_metadata", /^request\.aud: aud "https:\/\/other-bank\.example" is not this tenant's issuer/],
      ["expired", async () => (await validRequest(issuer, { request: { iat: 1_492_760_444, exp: 1_524_296_444 } })).jwt, "invalid_client_metadata", /^request\.exp: the registration request expired at 2018-04-21/],
      ["lives too long", async () => (await validRequest(issuer, { request: { exp: Math.floor(Date.now() / 1000) + 86_400 } })).jwt, "invalid_client_metadata", /^request\.exp: .* at most 3600 s are accepted/],
      ["iat in the future", async () => (await validRequest(issuer, { request: { iat: Math.floor(Date.now() / 1000) + 3000, exp: Math.floor(Date.now() / 1000) + 3100 } })).jwt, "invalid_client_metadata", /^request\.iat: iat is in the future/],
      ["no jti", async () => (await validRequest(issuer, { request: { jti: undefined } })).jwt, "invalid_client_metadata", /^request\.jti: jti is missing/],
      ["software_id differs", async () => (await validRequest(issuer, { request: { software_id: "other" } })).jwt, "invalid_client_metadata", /^request\.software_id: software_id "other" differs/],
      ["SSA from an unknown directory", async () => (await validRequest(issuer, { ssa: { iss: "Some Other Directory" } })).jwt, "unapproved_software_statement", /^software_statement\.directory: the software statement was issued by "Some Other Directory" for sandbox, which is not a directory this tenant trusts/],
      ["SSA for production, only sandbox configured", async () => (await validRequest(issuer, { ssa: { software_environment: "production", software_mode: "Live" } })).jwt, "unapproved_software_statement", /for production, which is not a directory this tenant trusts/],
      ["SSA signed by someone else", async () => { const id = sid(); return tpp.sign(requestClaims(issuer, id, await stranger.sign(ssaClaims(id)))); }, "invalid_software_statement", /^software_statement\.signature: the software statement's signature was refused: no key with kid "[\w-]+" in the JWKS at http:\/\/127\.0\.0\.2:\d+\/jwks/],
      ["SSA too old", async () => (await validRequest(issuer, { ssa: { iat: Math.floor(Date.now() / 1000) - 600 } })).jwt, "invalid_software_statement", /^software_statement\.iat: the software statement is 6\d\d s old; this tenant accepts software statements at most 300 s old/],
      ["SSA without software_jwks_endpoint", async () => (await validRequest(issuer, { ssa: { software_jwks_endpoint: undefined } })).jwt, "invalid_software_statement", /^software_statement\.claims: the software statement names no software_jwks_endpoint/],
      ["request signed by a key not of the software", async () => { const id = sid(); return stranger.sign(requestClaims(issuer, id, await ssaFor(id))); }, "invalid_client_metadata", /^request\.signature: the registration request's signature was refused/],
      ["redirect URI outside the SSA's", async () => (await validRequest(issuer, { request: { redirect_uris: [REDIRECT, "https://evil.example/cb"] } })).jwt, "invalid_redirect_uri", /^redirect_uris: https:\/\/evil\.example\/cb is not among the software statement's software_redirect_uris/],
      ["no redirect URIs", async () => (await validRequest(issuer, { request: { redirect_uris: [] } })).jwt, "invalid_redirect_uri", /^redirect_uris: redirect_uris is missing or empty/],
      ["auth method not allowed by the profile", async () => (await validRequest(issuer, { request: { token_endpoint_auth_method: "client_secret_basic" } })).jwt, "invalid_client_metadata", /^token_endpoint_auth_method: token_endpoint_auth_method "client_secret_basic" is not allowed by this tenant's profile \(private_key_jwt, tls_client_auth\)/],
      ["tls_client_auth without subject DN", async () => (await validRequest(issuer, { request: { token_endpoint_auth_method: "tls_client_auth" } })).jwt, "invalid_client_metadata", /tls_client_auth needs tls_client_auth_subject_dn/],
      ["an algorithm the profile refuses", async () => (await validRequest(issuer, { request: { token_endpoint_auth_signing_alg: "RS256" } })).jwt, "invalid_client_metadata", /^algorithms: token_endpoint_auth_signing_alg "RS256" is not allowed by this tenant.s profile \(PS256\)/],
      ["response types without their grant", async () => (await validRequest(issuer, { request: { response_types: ["code id_token", "id_token"] } })).jwt, "invalid_client_metadata", /^grant_types: response_types code id_token, id_token need grant_types implicit/],
      ["an unknown grant", async () => (await validRequest(issuer, { request: { grant_types: ["password"] } })).jwt, "invalid_client_metadata", /^grant_types: grant_types password is not supported/],
      ["inline jwks under Open Banking UK", async () => (await validRequest(issuer, { request: { jwks: { keys: [tpp.keys[0]!.publicJwk] } } })).jwt, "invalid_client_metadata", /^jwks: inline jwks are not accepted by this tenant's profile/],
      ["a jwks_uri that is not the software's", async () => (await validRequest(issuer, { request: { jwks_uri: "https://tpp.example/jwks" } })).jwt, "invalid_client_metadata", /^jwks: jwks_uri "https:\/\/tpp\.example\/jwks" must be the software statement's software_jwks_endpoint/],
      ["not a JWT", async () => "hello", "invalid_client_metadata", /^request\.format: the body is not a signed JWT/],
      ["alg none", async () => { const id = sid(); const claims = requestClaims(issuer, id, await ssaFor(id)); return `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`; }, "invalid_client_metadata", /^request\.format/],
      ["a jku header", async () => { const id = sid(); return new SignJWT(requestClaims(issuer, id, await ssaFor(id))).setProtectedHeader({ alg: "PS256", kid: tpp.keys[0]!.kid, jku: "https://evil.example/jwks" }).sign(tpp.keys[0]!.privateKey); }, "invalid_client_metadata", /^request\.header: the header carries jku: keys named by the JWT itself are never used/],
      ["a crit header", async () => { const id = sid(); return new SignJWT(requestClaims(issuer, id, await ssaFor(id))).setProtectedHeader({ alg: "PS256", kid: tpp.keys[0]!.kid, crit: ["x-bank"], "x-bank": 1 }).sign(tpp.keys[0]!.privateKey, { crit: { "x-bank": true } }); }, "invalid_client_metadata", /^request\.header: the header marks \["x-bank"\] as critical/],
      ["RS256 under a PS256-only profile", async () => { const id = sid(); const k = await generateKeyPair("RS256"); return new SignJWT(requestClaims(issuer, id, await ssaFor(id))).setProtectedHeader({ alg: "RS256", kid: "x" }).sign(k.privateKey); }, "invalid_client_metadata", /^request\.header: alg RS256 is not allowed by this tenant's profile \(PS256\)/],
    ];
    const before = await clientCount(slug);
    for (const [name, make, code, description] of cases) {
      const res = await send(slug, await make());
      expect({ name, status: res.status, error: res.body.error }).toEqual({ name, status: 400, error: code });
      expect(String(res.body.error_description), name).toMatch(description);
    }
    expect(await clientCount(slug)).toBe(before);
  });

  it("refuses a replayed request, a wrong content type and an unknown tenant", async () => {
    const { slug, issuer } = await bank();
    const { jwt } = await validRequest(issuer);
    expect((await send(slug, jwt)).status).toBe(201);
    const replay = await send(slug, jwt);
    expect(replay).toMatchObject({ status: 400, body: { error: "invalid_client_metadata", error_description: expect.stringMatching(/^request\.jti: jti ".*" was already used by a registration request of this software/) } });
    const json = await send(slug, JSON.stringify({ software_statement: "x" }), { contentType: "application/json" });
    expect(json).toMatchObject({ status: 415, body: { error: "invalid_request", error_description: "the body must be a signed JWT with Content-Type application/jwt; got application/json" } });
    expect((await send("no_such_tenant", jwt)).status).toBe(404);
  });

  it("lets the client read, update and delete its registration with its token (RFC 7592), and nobody without it", async () => {
    const { slug, issuer } = await bank();
    const softwareId = uniq("sw");
    const ssa = await directory.sign(ssaClaims(softwareId));
    const created = await send(slug, await tpp.sign(requestClaims(issuer, softwareId, ssa)));
    const clientId = String(created.body.client_id);
    const token = String(created.body.registration_access_token);
    const path = `/${encodeURIComponent(clientId)}`;

    expect(await send(slug, "", { method: "GET", path })).toMatchObject({ status: 401, body: { error: "invalid_token" } });
    const wrong = await send(slug, "", { method: "GET", path, token: "kwr_not-the-token" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
    const read = await send(slug, "", { method: "GET", path, token });
    expect(read).toMatchObject({ status: 200, body: { client_id: clientId, redirect_uris: [REDIRECT] } });
    expect(read.body.registration_access_token).toBeUndefined();

    expect((await clientToken(slug, issuer, clientId, "payments")).status).toBe(200);

    // PUT: a new request, checked like the first.
    const badUpdate = await send(slug, await tpp.sign(requestClaims(issuer, softwareId, ssa, { redirect_uris: ["https://evil.example/cb"] })), { method: "PUT", path, token });
    expect(badUpdate).toMatchObject({ status: 400, body: { error: "invalid_redirect_uri" } });
    const otherSoftware = uniq("sw");
    const foreign = await send(slug, await tpp.sign(requestClaims(issuer, otherSoftware, await directory.sign(ssaClaims(otherSoftware)))), { method: "PUT", path, token });
    expect(foreign).toMatchObject({ status: 400, body: { error_description: expect.stringMatching(/^request\.software_id: .* is not the software this client was registered for/) } });
    const updated = await send(slug, await tpp.sign(requestClaims(issuer, softwareId, ssa, { redirect_uris: ["https://tpp.example/other"], scope: "accounts" })), { method: "PUT", path, token });
    expect(updated).toMatchObject({ status: 200, body: { client_id: clientId, redirect_uris: ["https://tpp.example/other"], scope: "accounts" } });
    // The token endpoint sees the new registration at once.
    expect((await clientToken(slug, issuer, clientId, "payments")).body.error).toBe("invalid_scope");
    expect((await clientToken(slug, issuer, clientId, "accounts")).status).toBe(200);

    // Another tenant's endpoint does not know the client, whatever the token.
    const other = await bank();
    expect((await send(other.slug, "", { method: "GET", path, token })).status).toBe(401);

    expect((await send(slug, "", { method: "DELETE", path, token })).status).toBe(204);
    expect(await clientToken(slug, issuer, clientId, "accounts")).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect((await send(slug, "", { method: "GET", path, token })).status).toBe(401);
    expect(await db().client.count({ where: { clientId } })).toBe(0);
    const actions = (await db().auditEvent.findMany({ where: { tenantSlug: slug, targetId: clientId }, orderBy: { at: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["client.register", "client.registration_update", "client.registration_delete"]);
  });

  it("registers with an SSA from the tenant's sandbox directory", async () => {
    const { slug, issuer } = await bank();
    const sandbox = await createDirectory(OPERATOR, slug, { kind: "sandbox" });
    expect(sandbox).toMatchObject({ kind: "sandbox", issuer: "Keyward Sandbox Directory", environment: "sandbox", jwks: { keys: [expect.objectContaining({ kty: "RSA", alg: "PS256" })] } });
    expect(JSON.stringify(sandbox)).not.toMatch(/"d":/);
    const softwareId = uniq("sw");
    const issued = await issueSandboxSsa(OPERATOR, slug, sandbox.id, {
      softwareId,
      softwareClientName: "Sandbox TPP",
      orgId: "org-1",
      orgName: "Sandbox TPP Ltd",
      redirectUris: [REDIRECT],
      softwareJwksEndpoint: tpp.jwksUrl,
    });
    const res = await send(slug, await tpp.sign(requestClaims(issuer, softwareId, issued.softwareStatement)));
    expect(res).toMatchObject({ status: 201, body: { software_id: softwareId, client_name: "Sandbox TPP" } });
    await expect(issueSandboxSsa(OPERATOR, slug, (await db().directory.findFirstOrThrow({ where: { tenant: { slug }, issuer: "OpenBanking Ltd" } })).id, {
      softwareId, softwareClientName: "x", orgId: "o", orgName: "o", redirectUris: [REDIRECT], softwareJwksEndpoint: tpp.jwksUrl,
    })).rejects.toMatchObject({ code: "conflict" });
    await expect(createDirectory(OPERATOR, slug, { kind: "sandbox" })).rejects.toMatchObject({ code: "conflict" });
    await expect(createDirectory(actorWith("viewer"), slug, { kind: "sandbox" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createDirectory(OPERATOR, slug, { kind: "external", name: "x", issuer: "y", environment: "sandbox", jwksUri: "http://169.254.169.254/jwks" })).rejects.toMatchObject({ fieldErrors: [{ path: "jwksUri" }] });
  });

  it("the tester shows every rule passed or failed, and registers nothing nor uses up the jti", async () => {
    const { slug, issuer } = await bank();
    const before = await clientCount(slug);
    const bad = await validRequest(issuer, { request: { redirect_uris: ["https://evil.example/cb"], aud: "https://elsewhere.example" } });
    const report = await testRegistrationRequest(OPERATOR, slug, { requestJwt: bad.jwt });
    expect(report.wouldRegister).toBe(false);
    expect(report.error).toEqual({ error: "invalid_client_metadata", errorDescription: expect.stringMatching(/^request\.aud:/) });
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.rule);
    expect(failed).toEqual(["request.aud", "redirect_uris"]);
    expect(report.checks.filter((c) => c.ok).map((c) => c.rule)).toEqual(expect.arrayContaining(["software_statement.signature", "request.signature", "request.iss", "request.jti"]));
    expect(report.softwareStatement).toMatchObject({ iss: "OpenBanking Ltd", software_id: bad.softwareId });

    const good = await validRequest(issuer);
    expect(await testRegistrationRequest(OPERATOR, slug, { requestJwt: good.jwt })).toMatchObject({ wouldRegister: true, error: null });
    expect(await clientCount(slug)).toBe(before);
    // Not used up by the test: the same request registers.
    expect((await send(slug, good.jwt)).status).toBe(201);
    await expect(testRegistrationRequest(actorWith("viewer"), slug, { requestJwt: good.jwt })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("refuses a request shaped like the Open Banking documentation's example with all three of its faults", async () => {
    // The documented example was issued in April 2017 and expired in April 2018, its iss is
    // a TPP id rather than the SSA's software_id, and its SSA is signed by a key no
    // directory of this tenant publishes.
    const { slug, issuer } = await bank();
    const ssa = await stranger.sign(ssaClaims("12356789"));
    const jwt = await tpp.sign(requestClaims(issuer, "12356789", ssa, { iss: "0123456789", iat: 1_492_760_444, exp: 1_524_296_444, jti: "37747cd1c10545699f754adf28b73e31" }));
    const report = await testRegistrationRequest(OPERATOR, slug, { requestJwt: jwt });
    expect(report.checks.filter((c) => !c.ok).map((c) => [c.rule, c.error])).toEqual([
      ["software_statement.signature", "invalid_software_statement"],
      ["request.iss", "invalid_client_metadata"],
      ["request.exp", "invalid_client_metadata"],
    ]);
    const res = await send(slug, jwt);
    expect(res).toMatchObject({ status: 400, body: { error: "invalid_software_statement", error_description: expect.stringMatching(/^software_statement\.signature:/) } });
  });
});
