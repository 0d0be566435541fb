/**
 * Property-based fuzzing of what needs a database: the DCR validator (random
 * and mutated registration requests, signed and not) and the token endpoint
 * over HTTP (random forms, headers and assertions). Neither may throw or
 * answer a 5xx; the endpoint answers only RFC 6749 §5.2 error codes; the
 * server keeps answering.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant } from "@/lib/tenants/tenants";
import { rotateNow } from "@/lib/rotation/rotate";
import { createDirectory } from "@/lib/directories/directories";
import { createClient } from "@/lib/clients/clients";
import { validateRegistration } from "@/lib/dcr/validate-registration";
import { startTestJwksServer, type TestJwksServer } from "@/lib/jwks-fetch/test-jwks-server";
import { ADMIN, actorWith, startProtocolServer, uniq } from "@/tests/integration/helpers";
import { expectServing } from "../helpers";
import { budget, FUZZ_TIMEOUT_MS, mutated } from "./budget";

const OPERATOR = actorWith("operator");
let base: string;
let close: () => Promise<void>;
let slug: string;
let tenant: { id: string; profile: string; issuer: string };
let directory: TestJwksServer;
let tpp: TestJwksServer;
let clientId: string;
let good: string;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  ({ base, close } = await startProtocolServer());
  [directory, tpp] = await Promise.all([startTestJwksServer({ alg: "PS256", host: "127.0.0.2" }), startTestJwksServer({ alg: "PS256", host: "127.0.0.2" })]);
  const created = await createTenant(ADMIN, { slug: uniq("fuzz").replace(/-/g, "_"), name: "Fuzz Bank", profile: "generic" });
  slug = created.slug;
  await rotateNow(OPERATOR, slug);
  await createDirectory(OPERATOR, slug, { kind: "external", name: "Directory", issuer: "Fuzz Directory", environment: "sandbox", jwksUri: directory.jwksUrl });
  tenant = { id: (await db().tenant.findUniqueOrThrow({ where: { slug } })).id, profile: "generic", issuer: `http://keyward.test/${slug}` };
  clientId = (await createClient(OPERATOR, slug, { name: "fuzz", tokenEndpointAuthMethod: "private_key_jwt", jwks: { keys: [tpp.keys[0]!.publicJwk as Record<string, unknown>] } })).clientId;
  const ssa = await directory.sign({ iss: "Fuzz Directory", iat: now(), software_id: "sw-fuzz", software_redirect_uris: ["https://tpp.example/cb"], software_jwks_endpoint: tpp.jwksUrl, software_environment: "sandbox" });
  good = await tpp.sign({ iss: "sw-fuzz", aud: tenant.issuer, iat: now(), exp: now() + 300, jti: randomUUID(), redirect_uris: ["https://tpp.example/cb"], token_endpoint_auth_method: "private_key_jwt", token_endpoint_auth_signing_alg: "PS256", grant_types: ["client_credentials"], software_statement: ssa });
});
afterAll(async () => {
  await Promise.all([directory.close(), tpp.close()]);
  await close();
});

const claim = fc.constantFrom("iss", "aud", "iat", "exp", "jti", "redirect_uris", "grant_types", "response_types", "token_endpoint_auth_method", "jwks", "jwks_uri", "scope", "client_name", "application_type", "software_statement", "software_id", "tls_client_auth_subject_dn");
const claimValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(1e300, -1, 0, "", "private_key_jwt", "https://169.254.169.254/", ["client_credentials"], { keys: [1] }, { keys: "x" }));

describe("the DCR validator", () => {
  it("never throws on a signed request with random claims; refuses all but the good one", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    expect((await validateRegistration(tenant, good)).failure).toBeNull();
    const ssaPayload = JSON.parse(Buffer.from(good.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(claim, claimValue, { maxKeys: 5 }), async (over) => {
        const jwt = await tpp.sign({ ...ssaPayload, ...over, jti: randomUUID() } as never);
        const result = await validateRegistration(tenant, jwt);
        for (const check of result.checks) expect(typeof check.detail).toBe("string");
        if (result.failure) expect(["invalid_software_statement", "unapproved_software_statement", "invalid_redirect_uri", "invalid_client_metadata"]).toContain(result.failure.error);
      }),
      budget(60),
    );
  });
  it("never throws on mutated text", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(mutated([good]), async (text) => {
        const result = await validateRegistration(tenant, text);
        expect(result.metadata === null || text.trim() === good).toBe(true);
      }),
      budget(150),
    );
  });
});

describe("the token endpoint over HTTP", () => {
  const ERRORS = ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope"];
  const param = fc.tuple(
    fc.constantFrom("grant_type", "client_assertion", "client_assertion_type", "assertion", "scope", "client_id", "x"),
    fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", clientId ?? "c")),
  );
  const headerish = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 40 }), fc.constantFrom("Basic", "Basic !!!", "Basic Og==", `Basic ${Buffer.from("%zz:%").toString("base64")}`, "Bearer x"));
  it("answers every random form with a 4xx RFC 6749 error, never a 5xx", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    const assertion = async () =>
      new SignJWT({ iss: clientId, sub: clientId, aud: `${tenant.issuer}/oauth2/token`, iat: now(), exp: now() + 60, jti: randomUUID() }).setProtectedHeader({ alg: "PS256", kid: tpp.keys[0]!.kid }).sign(tpp.keys[0]!.privateKey);
    const sample = await assertion();
    await fc.assert(
      fc.asyncProperty(fc.array(param, { maxLength: 6 }), mutated([sample]), headerish, fc.constantFrom("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8", "application/json", "text/plain"), async (params, mutant, authorization, contentType) => {
        const form = new URLSearchParams(params);
        if (params.length % 2 === 0) form.set("client_assertion", mutant);
        const res = await fetch(`${base}/${slug}/oauth2/token`, { method: "POST", headers: { "content-type": contentType, ...(authorization ? { authorization } : {}) }, body: form.toString() });
        const body = (await res.json()) as { error?: string; access_token?: string };
        expect(res.status, JSON.stringify(body)).toBeLessThan(500);
        if (res.status !== 200) expect(ERRORS, JSON.stringify(body)).toContain(body.error);
      }),
      budget(80),
    );
    await expectServing(base, slug);
  });
});
