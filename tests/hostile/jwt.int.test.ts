/**
 * Hostile JWTs at every place that reads one: the token endpoint's
 * jwt-bearer assertion and private_key_jwt client assertion (RFC 6749 §5.2
 * errors), the IdP's JWT tester (a failed check), the DCR endpoint (RFC 7591
 * errors) and the DCR tester. A good JWT of each kind is accepted first, so a
 * refusal is the fault's and not the setup's. No token is issued, no client
 * registered, and the server keeps answering.
 */
import { randomUUID } from "node:crypto";
import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant } from "@/lib/tenants/tenants";
import { rotateNow } from "@/lib/rotation/rotate";
import { createIdentityProvider } from "@/lib/idps/identity-providers";
import { verifyJwtWithIdentityProvider } from "@/lib/idps/idp-keys";
import { createClient } from "@/lib/clients/clients";
import { testRegistrationRequest } from "@/lib/dcr/tester";
import { isAppError } from "@/lib/errors";
import { ADMIN, actorWith, startProtocolServer, uniq } from "@/tests/integration/helpers";
import { expectServing } from "./helpers";
import { jwtCases, type JwtSigner } from "./corpus/jwt";

const OPERATOR = actorWith("operator");
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
let base: string;
let close: () => Promise<void>;
let slug: string;
let issuer: string;
let idpId: string;
let basic: string;
let pkjClient: string;
let signer: JwtSigner;
const IDP = "https://idp.hostile.example";
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  ({ base, close } = await startProtocolServer());
  slug = (await createTenant(ADMIN, { slug: uniq("jwt").replace(/-/g, "_"), name: "Hostile JWT Bank" })).slug;
  issuer = `http://keyward.test/${slug}`;
  await rotateNow(OPERATOR, slug);
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  signer = { privateKey, alg: "ES256", kid: "hostile-signer", publicPem: await exportSPKI(publicKey) };
  const jwk = { ...(await exportJWK(publicKey)), kid: signer.kid, alg: "ES256" };
  idpId = (await createIdentityProvider(OPERATOR, slug, { name: IDP, jwks: { keys: [jwk] } })).id;
  const secretClient = await createClient(OPERATOR, slug, { name: "bearer", tokenEndpointAuthMethod: "client_secret_basic", grantTypes: [JWT_BEARER] });
  basic = `Basic ${Buffer.from(`${secretClient.clientId}:${secretClient.clientSecret}`).toString("base64")}`;
  pkjClient = (await createClient(OPERATOR, slug, { name: "pkj", tokenEndpointAuthMethod: "private_key_jwt", jwks: { keys: [jwk] } })).clientId;
});
afterAll(async () => close());

const bearerClaims = (): JWTPayload => ({ iss: IDP, sub: "user-1", aud: `${issuer}/oauth2/token`, iat: now(), exp: now() + 300, jti: randomUUID() });
const clientClaims = (): JWTPayload => ({ iss: pkjClient, sub: pkjClient, aud: `${issuer}/oauth2/token`, iat: now(), exp: now() + 300, jti: randomUUID() });

async function token(form: Record<string, string>, authorization?: string) {
  const res = await fetch(`${base}/${slug}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(authorization ? { authorization } : {}) },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as { error?: string; error_description?: string; access_token?: string } };
}

const bearer = (assertion: string) => token({ grant_type: JWT_BEARER, assertion }, basic);
const clientAssertion = (assertion: string) => token({ grant_type: "client_credentials", client_assertion_type: ASSERTION_TYPE, client_assertion: assertion });

async function issuedTokens() {
  return db().usedJti.count();
}

describe("the token endpoint, jwt-bearer assertions", () => {
  it("accepts a good assertion (the setup is right)", async () => {
    expect((await bearer(await new (await import("jose")).SignJWT(bearerClaims()).setProtectedHeader({ alg: "ES256", kid: signer.kid }).sign(signer.privateKey))).status).toBe(200);
  });
  for (const c of jwtCases()) {
    it(`refuses ${c.name}`, async () => {
      const res = await bearer(await c.make(bearerClaims(), signer));
      expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      expect(res.body.access_token).toBeUndefined();
      expect(["invalid_grant", "invalid_request"]).toContain(res.body.error);
      expect(res.body.error_description, c.name).toMatch(c.says);
    });
  }
  it("still serves", async () => expectServing(base, slug));
});

describe("the token endpoint, private_key_jwt client assertions", () => {
  it("accepts a good client assertion (the setup is right)", async () => {
    const jose = await import("jose");
    expect((await clientAssertion(await new jose.SignJWT(clientClaims()).setProtectedHeader({ alg: "ES256", kid: signer.kid }).sign(signer.privateKey))).status).toBe(200);
  });
  for (const c of jwtCases()) {
    it(`refuses ${c.name}`, async () => {
      const before = await issuedTokens();
      const res = await clientAssertion(await c.make(clientClaims(), signer));
      expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      expect(res.body.access_token).toBeUndefined();
      expect(["invalid_client", "invalid_request"]).toContain(res.body.error);
      expect(res.body.error_description, c.name).toMatch(c.says);
      expect(await issuedTokens(), "no jti recorded for a refused assertion").toBe(before);
    });
  }
  it("still serves", async () => expectServing(base, slug));
});

describe("the identity provider's JWT tester", () => {
  for (const c of jwtCases()) {
    it(`reports ${c.name}`, async () => {
      const jwt = await c.make(bearerClaims(), signer);
      let errors: string[];
      try {
        const result = await verifyJwtWithIdentityProvider(OPERATOR, slug, idpId, { jwt });
        expect(result.valid, c.name).toBe(false);
        errors = result.errors;
      } catch (error) {
        if (!isAppError(error) || error.status !== 400) throw error;
        errors = [error.message];
      }
      expect(errors.join("\n"), c.name).toMatch(c.says);
    });
  }
});

describe("dynamic client registration: the request JWT itself", () => {
  const formCases = jwtCases().filter((c) => !c.claimsLevel);
  const requestClaims = (): JWTPayload => ({ iss: "sw-1", aud: issuer, iat: now(), exp: now() + 300, jti: randomUUID(), redirect_uris: ["https://tpp.example/cb"], token_endpoint_auth_method: "private_key_jwt" });
  for (const c of formCases) {
    it(`refuses ${c.name} at /register and in the tester`, async () => {
      const before = await db().client.count({ where: { tenant: { slug } } });
      const jwt = await c.make(requestClaims(), signer);
      const res = await fetch(`${base}/${slug}/register`, { method: "POST", headers: { "content-type": "application/jwt" }, body: jwt });
      const body = (await res.json()) as { error: string; error_description: string };
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(["invalid_client_metadata", "invalid_request"]).toContain(body.error);
      expect(body.error_description, c.name).toMatch(c.says);
      let description: string;
      try {
        const report = await testRegistrationRequest(OPERATOR, slug, { requestJwt: jwt });
        expect(report.wouldRegister).toBe(false);
        description = report.error?.errorDescription ?? "";
      } catch (error) {
        if (!isAppError(error) || error.status !== 400) throw error;
        description = error.message;
      }
      expect(description, c.name).toMatch(c.says);
      expect(await db().client.count({ where: { tenant: { slug } } })).toBe(before);
    });
  }
  it("still serves", async () => expectServing(base, slug));
});
