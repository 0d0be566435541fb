/**
 * Registration requests broken in ways lib/dcr/registration.int.test.ts does
 * not cover: metadata of the wrong type or length, enumerations outside
 * their values, inline JWKs and jwks_uris that must not be trusted, software
 * statements with unsafe headers or absurd claims, NumericDates past any
 * date. Each is refused with its RFC 7591 error and the rule it broke; the
 * tester reports the same rule; nothing is registered.
 */
import { randomUUID } from "node:crypto";
import { generateKeyPairSync } from "node:crypto";
import { SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant } from "@/lib/tenants/tenants";
import { rotateNow } from "@/lib/rotation/rotate";
import { createDirectory } from "@/lib/directories/directories";
import { testRegistrationRequest } from "@/lib/dcr/tester";
import { startTestJwksServer, type TestJwksServer } from "@/lib/jwks-fetch/test-jwks-server";
import { ADMIN, actorWith, startProtocolServer, uniq } from "@/tests/integration/helpers";
import { expectServing } from "./helpers";

const OPERATOR = actorWith("operator");
const REDIRECT = "https://tpp.example/callback";
let base: string;
let close: () => Promise<void>;
let directory: TestJwksServer;
let tpp: TestJwksServer;
let slug: string;
let issuer: string;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  ({ base, close } = await startProtocolServer());
  [directory, tpp] = await Promise.all([startTestJwksServer({ alg: "PS256", host: "127.0.0.2" }), startTestJwksServer({ alg: "PS256", host: "127.0.0.2" })]);
  // The generic profile takes inline JWKS and a jwks_uri of the client's choosing: the widest door.
  slug = (await createTenant(ADMIN, { slug: uniq("dcrh").replace(/-/g, "_"), name: "Hostile DCR Bank", profile: "generic" })).slug;
  issuer = `http://keyward.test/${slug}`;
  await rotateNow(OPERATOR, slug);
  await createDirectory(OPERATOR, slug, { kind: "external", name: "Directory", issuer: "Hostile Directory", environment: "sandbox", jwksUri: directory.jwksUrl });
});
afterAll(async () => {
  await Promise.all([directory.close(), tpp.close()]);
  await close();
});

const ssaClaims = (softwareId: string, over: Record<string, unknown> = {}): JWTPayload => ({
  iss: "Hostile Directory",
  iat: now(),
  jti: randomUUID(),
  software_environment: "sandbox",
  software_id: softwareId,
  software_client_name: "Hostile TPP",
  software_redirect_uris: [REDIRECT],
  software_roles: ["AISP"],
  software_jwks_endpoint: tpp.jwksUrl,
  org_id: "org-1",
  org_name: "Hostile TPP Ltd",
  ...over,
});

const requestClaims = (softwareId: string, ssa: string, over: Record<string, unknown> = {}): JWTPayload => ({
  iss: softwareId,
  iat: now(),
  exp: now() + 300,
  aud: issuer,
  jti: randomUUID(),
  redirect_uris: [REDIRECT],
  token_endpoint_auth_method: "private_key_jwt",
  token_endpoint_auth_signing_alg: "PS256",
  grant_types: ["client_credentials"],
  response_types: [],
  scope: "accounts",
  software_statement: ssa,
  ...over,
});

interface DcrCase {
  name: string;
  ssa?: Record<string, unknown>;
  ssaHeader?: Record<string, unknown>;
  request?: Record<string, unknown>;
  error: string;
  rule: RegExp;
}

const leakedPair = generateKeyPairSync("ec", { namedCurve: "P-256" });
const leaked = leakedPair.privateKey.export({ format: "jwk" });
const publicJwk = leakedPair.publicKey.export({ format: "jwk" });
const cases: DcrCase[] = [
  { name: "client_name of 201 characters", request: { client_name: "n".repeat(201) }, error: "invalid_client_metadata", rule: /^client_name: client_name is 201 characters long; at most 200 are accepted/ },
  { name: "client_name as a number", request: { client_name: 7 }, error: "invalid_client_metadata", rule: /^client_name: client_name must be a non-empty string/ },
  { name: "application_type outside its values", request: { application_type: "desktop" }, error: "invalid_client_metadata", rule: /^application_type: application_type "desktop" is not one of web, native/ },
  { name: "application_type as a number", request: { application_type: 1 }, error: "invalid_client_metadata", rule: /^application_type: application_type 1 is not one of web, native/ },
  { name: "grant_types as a string", request: { grant_types: "client_credentials" }, error: "invalid_client_metadata", rule: /^grant_types: grant_types must be an array of strings/ },
  { name: "grant_types holding a number", request: { grant_types: [1] }, error: "invalid_client_metadata", rule: /^grant_types: grant_types must be an array of strings/ },
  { name: "response_types as an object", request: { response_types: {} }, error: "invalid_client_metadata", rule: /^grant_types: response_types must be an array of strings/ },
  { name: "redirect_uris as a string", request: { redirect_uris: REDIRECT }, error: "invalid_redirect_uri", rule: /^redirect_uris: redirect_uris must be an array of strings/ },
  { name: "21 redirect URIs", ssa: { software_redirect_uris: Array.from({ length: 20 }, (_, i) => `${REDIRECT}/${i}`) }, request: { redirect_uris: Array.from({ length: 21 }, (_, i) => `${REDIRECT}/${i}`) }, error: "invalid_redirect_uri", rule: /^redirect_uris: redirect_uris has 21 entries; at most 20 are accepted/ },
  { name: "scope of 2001 characters", request: { scope: "s".repeat(2001) }, error: "invalid_client_metadata", rule: /^scope: scope is 2001 characters long; at most 2000 are accepted/ },
  { name: "scope with a quote", request: { scope: 'accounts "payments"' }, error: "invalid_client_metadata", rule: /^scope: scope must be space-separated scope tokens/ },
  { name: "scope as an array", request: { scope: ["accounts"] }, error: "invalid_client_metadata", rule: /^scope: scope must be space-separated scope tokens/ },
  { name: "a subject DN of 501 characters", request: { token_endpoint_auth_method: "tls_client_auth", tls_client_auth_subject_dn: `CN=${"a".repeat(498)}` }, error: "invalid_client_metadata", rule: /^token_endpoint_auth_method: tls_client_auth_subject_dn is 501 characters long/ },
  { name: "token_endpoint_auth_method as a number", request: { token_endpoint_auth_method: 42 }, error: "invalid_client_metadata", rule: /^token_endpoint_auth_method: token_endpoint_auth_method must be a string/ },
  { name: "an auth method outside its values", request: { token_endpoint_auth_method: "none" }, error: "invalid_client_metadata", rule: /^token_endpoint_auth_method: token_endpoint_auth_method "none" is not allowed/ },
  { name: "jwks and jwks_uri together", request: { jwks: { keys: [{ ...publicJwk, kid: "pub" }] }, jwks_uri: "https://tpp.example/jwks" }, error: "invalid_client_metadata", rule: /^jwks: give jwks or jwks_uri, not both/ },
  { name: "valid jwks that the SSA's software_jwks_endpoint would override", request: { jwks: { keys: [{ ...publicJwk, kid: "pub" }] } }, error: "invalid_client_metadata", rule: /^jwks: jwks cannot be used: the client's keys are its directory's software_jwks_endpoint \(http:\/\/127\.0\.0\.2:\d+\/[^)]*\), which becomes its jwks_uri, and a client has jwks_uri or jwks, not both \(RFC 7591 §2\); leave jwks out$/ },
  { name: "jwks as a string", request: { jwks: "keys" }, error: "invalid_client_metadata", rule: /^jwks: jwks must be a JWK Set/ },
  { name: "jwks with no keys", request: { jwks: { keys: [] } }, error: "invalid_client_metadata", rule: /^jwks: jwks must hold 1 to 50 keys; it has 0/ },
  { name: "jwks with a number for a key", request: { jwks: { keys: [1] } }, error: "invalid_client_metadata", rule: /^jwks: jwks\.keys\[0\] is not a JSON object/ },
  { name: "jwks with a private key", request: { jwks: { keys: [{ ...leaked, kid: "leaked" }] } }, error: "invalid_client_metadata", rule: /holds private members \(d\)/ },
  { name: "jwks with an oct key", request: { jwks: { keys: [{ kty: "oct", k: "c2VjcmV0", kid: "hmac" }] } }, error: "invalid_client_metadata", rule: /is a symmetric key/ },
  { name: "jwks_uri at the metadata service", request: { jwks_uri: "http://169.254.169.254/latest/meta-data/" }, error: "invalid_client_metadata", rule: /^jwks: jwks_uri points at 169\.254\.169\.254, a link-local\/metadata address/ },
  { name: "jwks_uri at localhost", request: { jwks_uri: "https://localhost/jwks" }, error: "invalid_client_metadata", rule: /^jwks: jwks_uri points at localhost, a name that always means this machine/ },
  { name: "jwks_uri behind userinfo", request: { jwks_uri: "https://tpp.example@10.0.0.1/jwks" }, error: "invalid_client_metadata", rule: /^jwks: jwks_uri must not contain a user name or password/ },
  { name: "jwks_uri as a number", request: { jwks_uri: 123 }, error: "invalid_client_metadata", rule: /^jwks: jwks_uri must be a non-empty string/ },
  { name: "jwks_uri of 2001 characters", request: { jwks_uri: `https://tpp.example/${"j".repeat(1981)}` }, error: "invalid_client_metadata", rule: /^jwks: jwks_uri is 2001 characters long/ },
  { name: "software_statement as a number", request: { software_statement: 5 }, error: "invalid_software_statement", rule: /^software_statement: software_statement must be a signed JWT \(a string\)/ },
  { name: "no software_statement", request: { software_statement: undefined }, error: "invalid_software_statement", rule: /^software_statement: software_statement is missing/ },
  { name: "a software_statement that is not a JWT", request: { software_statement: "not-a-jwt" }, error: "invalid_software_statement", rule: /^software_statement\.format: .*three dot-separated parts/ },
  { name: "an SSA with a jku header", ssaHeader: { jku: "https://evil.example/jwks" }, error: "invalid_software_statement", rule: /^software_statement\.header: the header carries jku/ },
  { name: "an SSA with an x5c header", ssaHeader: { x5c: ["MIIB"] }, error: "invalid_software_statement", rule: /^software_statement\.header: the header carries x5c/ },
  { name: "an SSA with software_id of 101 characters", ssa: { software_id: "s".repeat(101) }, error: "invalid_software_statement", rule: /^software_statement\.claims: the software statement's software_id is 101 characters long/ },
  { name: "an SSA with software_roles as a string", ssa: { software_roles: "AISP" }, error: "invalid_software_statement", rule: /^software_statement\.claims: the software statement's software_roles must be an array of strings/ },
  { name: "an SSA with org_name of 201 characters", ssa: { org_name: "o".repeat(201) }, error: "invalid_software_statement", rule: /^software_statement\.claims: the software statement's org_name is 201 characters long/ },
  { name: "an SSA with 21 redirect URIs", ssa: { software_redirect_uris: Array.from({ length: 21 }, (_, i) => `${REDIRECT}/${i}`) }, error: "invalid_software_statement", rule: /^software_statement\.claims: the software statement's software_redirect_uris has 21 entries/ },
  { name: "an SSA with software_jwks holding a number", ssa: { software_jwks_endpoint: undefined, software_jwks: { keys: [1] } }, error: "invalid_software_statement", rule: /^software_statement\.claims: the software statement's software_jwks\.keys\[0\] is not a JSON object/ },
  { name: "an SSA issued past any date", ssa: { iat: 1e300 }, error: "invalid_software_statement", rule: /^software_statement\.iat: the software statement's iat is in the future \(1e\+300 \(not a representable date\)\)/ },
  { name: "a request expiring past any date", request: { exp: 1e300 }, error: "invalid_client_metadata", rule: /^request\.exp: the registration request is valid for .* s; at most 3600 s are accepted/ },
  { name: "a request issued past any date", request: { iat: 1e300, exp: 1e300 + 60 }, error: "invalid_client_metadata", rule: /^request\.iat: iat is in the future \(1e\+300 \(not a representable date\)\)/ },
  { name: "a request with iss as a number", request: { iss: 12 }, error: "invalid_client_metadata", rule: /^request\.iss: iss "12" is not the software statement's software_id/ },
  // String() throws on an object whose toString is not a function: the answer must still name the claim.
  { name: "a request with iss an object without toString", request: { iss: { toString: null } }, error: "invalid_client_metadata", rule: /^request\.iss: iss "\{"toString":null\}" is not the software statement's software_id/ },
  { name: "a request with software_id an object without toString", request: { software_id: { toString: null } }, error: "invalid_client_metadata", rule: /software_id "\{"toString":null\}" differs from the software statement's/ },
  { name: "a request with scope an object without toString", request: { scope: { toString: null } }, error: "invalid_client_metadata", rule: /^scope: scope must be space-separated scope tokens/ },
  { name: "a request with aud as an object", request: { aud: { issuer: "x" } }, error: "invalid_client_metadata", rule: /^request\.aud: aud \{"issuer":"x"\} is not this tenant's issuer/ },
];

describe("registration requests broken in every other way", () => {
  it("registers a good request (the setup is right)", async () => {
    const softwareId = uniq("sw");
    const jwt = await tpp.sign(requestClaims(softwareId, await directory.sign(ssaClaims(softwareId))));
    const res = await fetch(`${base}/${slug}/register`, { method: "POST", headers: { "content-type": "application/jwt" }, body: jwt });
    expect(res.status).toBe(201);
  });
  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const before = await db().client.count({ where: { tenant: { slug } } });
      const softwareId = uniq("sw");
      const ssaPayload = ssaClaims(softwareId, c.ssa);
      const ssa = c.ssaHeader
        ? await new SignJWT(ssaPayload).setProtectedHeader({ alg: "PS256", kid: directory.keys[0]!.kid, ...c.ssaHeader }).sign(directory.keys[0]!.privateKey)
        : await directory.sign(ssaPayload);
      const claims = requestClaims(typeof ssaPayload.software_id === "string" ? ssaPayload.software_id : softwareId, ssa, c.request);
      const jwt = await tpp.sign(claims);
      const res = await fetch(`${base}/${slug}/register`, { method: "POST", headers: { "content-type": "application/jwt" }, body: jwt });
      const body = (await res.json()) as { error: string; error_description: string };
      expect({ name: c.name, status: res.status, error: body.error }).toEqual({ name: c.name, status: 400, error: c.error });
      expect(body.error_description, c.name).toMatch(c.rule);
      const report = await testRegistrationRequest(OPERATOR, slug, { requestJwt: jwt });
      expect(report.wouldRegister).toBe(false);
      expect(report.checks.filter((x) => !x.ok).map((x) => `${x.rule}: ${x.detail}`).join("\n"), c.name).toMatch(new RegExp(c.rule.source.replace(/^\^/, "(^|\\n)"), "m"));
      expect(await db().client.count({ where: { tenant: { slug } } })).toBe(before);
    });
  }
  it("still serves", async () => expectServing(base, slug));
});
