import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant } from "@/lib/tenants/tenants";
import { addSigningKey } from "@/lib/keys/add-key";
import { activateSigningKey } from "@/lib/keys/activate-key";
import { createIdentityProvider, deleteIdentityProvider, updateIdentityProvider } from "@/lib/idps/identity-providers";
import { createClient, deleteClient, updateClient } from "@/lib/clients/clients";
import { addClientKey, removeClientKey } from "@/lib/clients/client-keys";
import { POLL_MS } from "@/lib/protocol/poll-interval";
import { bumpTrustVersion } from "@/lib/protocol/trust-version";
import { trustedPartyReads } from "@/lib/protocol/trusted-parties";
import { ADMIN, actorWith, startProtocolServer, uniq } from "@/tests/integration/helpers";
import { startOtherInstance, type OtherInstance } from "@/tests/integration/other-instance";

// The token endpoint holds clients and IdPs in memory (lib/protocol/trusted-parties.ts).
// A change made here is seen by the next request; a change made by another
// instance is seen within POLL_MS, the bound the JWKS has. SLACK_MS covers the
// tenant table's re-read and the request itself on a busy test machine.
const SLACK_MS = 500;
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const OPERATOR = actorWith("operator");

let base: string;
let closeServer: () => Promise<void>;
let other: OtherInstance;

beforeAll(async () => {
  ({ base, close: closeServer } = await startProtocolServer());
  other = await startOtherInstance();
});
afterAll(async () => {
  await other?.stop();
  await closeServer?.();
});

async function signedBy(privateKey: CryptoKey, kid: string, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid }).sign(privateKey);
}

/** A tenant with a signing key, an IdP with inline keys, a secret client and a private_key_jwt client. */
async function setup() {
  const slug = uniq("trust").replace(/-/g, "_");
  await createTenant(ADMIN, { slug, name: "Trust Bank", profile: "generic" });
  const key = await addSigningKey(OPERATOR, slug, { source: "generate", alg: "ES256" });
  await activateSigningKey(OPERATOR, slug, key.kid, { force: true, reason: "tests sign at once" });
  const issuer = `http://keyward.test/${slug}`;
  const tokenUrl = `${base}/${slug}/oauth2/token`;

  const idpKeys = await generateKeyPair("ES256");
  const idpJwk: JWK = { ...(await exportJWK(idpKeys.publicKey)), kid: "idp-1", alg: "ES256" };
  const idpName = `https://${uniq("idp")}.example`;
  const idp = await createIdentityProvider(OPERATOR, slug, { name: idpName, jwks: { keys: [idpJwk] }, allowedAlgs: ["ES256"] });
  const secretClient = await createClient(OPERATOR, slug, { name: "TPP", tokenEndpointAuthMethod: "client_secret_basic", grantTypes: ["client_credentials", JWT_BEARER], scope: "accounts payments" });
  const basic = `Basic ${Buffer.from(`${secretClient.clientId}:${secretClient.clientSecret}`).toString("base64")}`;

  const tppKey1 = await generateKeyPair("ES256");
  const jwtClient = await createClient(OPERATOR, slug, {
    name: "TPP with keys",
    tokenEndpointAuthMethod: "private_key_jwt",
    jwks: { keys: [{ ...(await exportJWK(tppKey1.publicKey)), kid: "tpp-1", alg: "ES256" }] },
  });

  const post = async (form: Record<string, string>, authorization?: string) => {
    const res = await fetch(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(authorization ? { authorization } : {}) },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, body: (await res.json()) as { error?: string; error_description?: string } };
  };
  const now = () => Math.floor(Date.now() / 1000);
  return {
    slug,
    tenantId: (await db().tenant.findUniqueOrThrow({ where: { slug } })).id,
    idp,
    idpName,
    secretClient,
    jwtClient,
    tppKey1,
    /** client_credentials for the secret client */
    credentials: (scope?: string) => post({ grant_type: "client_credentials", ...(scope ? { scope } : {}) }, basic),
    /** jwt-bearer: an assertion of the IdP (a fresh jti each time), the secret client authenticating */
    bearer: async (signer: { privateKey: CryptoKey; kid: string } = { privateKey: idpKeys.privateKey, kid: "idp-1" }, iss = idpName) =>
      post({ grant_type: JWT_BEARER, assertion: await signedBy(signer.privateKey, signer.kid, { iss, sub: "psu-1", aud: idp.audience, iat: now(), exp: now() + 120, jti: uniq("a") }) }, basic),
    idpKeys,
    /** client_credentials for the private_key_jwt client, its assertion signed with `key` */
    withAssertion: async (key: { privateKey: CryptoKey; kid: string }) =>
      post({
        grant_type: "client_credentials",
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: await signedBy(key.privateKey, key.kid, { iss: jwtClient.clientId, sub: jwtClient.clientId, aud: `${issuer}/oauth2/token`, iat: now(), exp: now() + 120, jti: uniq("ca") }),
      }),
  };
}

/**
 * Polls `attempt` every 50 ms until `done` holds; answers how long after
 * `since` that was (it fails the test when it never does within 4 × POLL_MS).
 */
async function lagUntil<T>(since: number, attempt: () => Promise<T>, done: (answer: T) => boolean): Promise<number> {
  const deadline = since + 4 * POLL_MS;
  for (;;) {
    const answer = await attempt();
    if (done(answer)) return performance.now() - since;
    if (performance.now() > deadline) throw new Error(`still ${JSON.stringify(answer).slice(0, 200)} ${4 * POLL_MS} ms after the change`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the token endpoint's clients and identity providers in memory", () => {
  it("reads a client and the tenant's IdPs once, not per request", async () => {
    const s = await setup();
    expect((await s.credentials()).status).toBe(200);
    expect((await s.bearer()).status).toBe(200);
    const reads = trustedPartyReads();
    for (let i = 0; i < 5; i++) {
      expect((await s.credentials()).status).toBe(200);
      expect((await s.bearer()).status).toBe(200);
      expect((await s.withAssertion({ privateKey: s.tppKey1.privateKey, kid: "tpp-1" })).status).toBe(200);
    }
    // The private_key_jwt client was read once, at its first request; nothing else was.
    expect(trustedPartyReads() - reads).toBe(1);
  });

  it("sees every change made through the services in this process at the next request", async () => {
    const s = await setup();
    expect((await s.credentials("payments")).status).toBe(200);
    expect((await s.bearer()).status).toBe(200);

    await updateClient(OPERATOR, s.slug, s.secretClient.clientId, { status: "suspended" });
    expect(await s.credentials()).toEqual({ status: 401, body: { error: "invalid_client", error_description: `client "${s.secretClient.clientId}" is suspended` } });
    expect((await s.bearer()).status).toBe(401);
    await updateClient(OPERATOR, s.slug, s.secretClient.clientId, { status: "active" });
    expect((await s.credentials()).status).toBe(200);
    await updateClient(OPERATOR, s.slug, s.secretClient.clientId, { scope: "accounts" });
    expect((await s.credentials("payments")).body.error).toBe("invalid_scope");

    // The IdP: disabled, enabled, its keys replaced, deleted; a new one is trusted at once.
    await updateIdentityProvider(OPERATOR, s.slug, s.idp.id, { enabled: false });
    expect((await s.bearer()).body.error_description).toBe(`iss: the identity provider "${s.idpName}" is disabled`);
    await updateIdentityProvider(OPERATOR, s.slug, s.idp.id, { enabled: true });
    expect((await s.bearer()).status).toBe(200);
    const rolled = await generateKeyPair("ES256");
    await updateIdentityProvider(OPERATOR, s.slug, s.idp.id, { jwks: { keys: [{ ...(await exportJWK(rolled.publicKey)), kid: "idp-2", alg: "ES256" }] } });
    expect((await s.bearer()).body.error_description).toMatch(/^kid: no key "idp-1"/);
    expect((await s.bearer({ privateKey: rolled.privateKey, kid: "idp-2" })).status).toBe(200);
    await deleteIdentityProvider(OPERATOR, s.slug, s.idp.id);
    expect((await s.bearer({ privateKey: rolled.privateKey, kid: "idp-2" })).body.error_description).toMatch(/^iss: no identity provider/);
    const newcomer = `https://${uniq("idp")}.example`;
    await createIdentityProvider(OPERATOR, s.slug, { name: newcomer, jwks: { keys: [{ ...(await exportJWK(rolled.publicKey)), kid: "idp-2", alg: "ES256" }] }, allowedAlgs: ["ES256"] });
    expect((await s.bearer({ privateKey: rolled.privateKey, kid: "idp-2" }, newcomer)).status).toBe(200);

    // A private_key_jwt client's keys: a new key works at once, a removed one is refused at once.
    const tpp1 = { privateKey: s.tppKey1.privateKey, kid: "tpp-1" };
    expect((await s.withAssertion(tpp1)).status).toBe(200);
    const tppKey2 = await generateKeyPair("ES256");
    const tpp2 = { privateKey: tppKey2.privateKey, kid: "tpp-2" };
    expect((await s.withAssertion(tpp2)).status).toBe(401);
    await addClientKey(OPERATOR, s.slug, s.jwtClient.clientId, { jwk: { ...(await exportJWK(tppKey2.publicKey)), kid: "tpp-2", alg: "ES256" } });
    expect((await s.withAssertion(tpp2)).status).toBe(200);
    await removeClientKey(OPERATOR, s.slug, s.jwtClient.clientId, "tpp-1");
    expect((await s.withAssertion(tpp1)).body.error_description).toMatch(/^client_assertion refused: /);

    await deleteClient(OPERATOR, s.slug, s.secretClient.clientId);
    expect(await s.credentials()).toEqual({ status: 401, body: { error: "invalid_client", error_description: `no client "${s.secretClient.clientId}" in this tenant` } });
  });

  it("sees a change committed behind its back, as another instance commits it, within POLL_MS", async () => {
    const s = await setup();
    expect((await s.credentials()).status).toBe(200);
    expect((await s.bearer()).status).toBe(200);
    // Only the database changes: the same writes the services make, without this process's after-commit hook.
    await db().$transaction(async (tx) => {
      await tx.client.update({ where: { clientId: s.secretClient.clientId }, data: { status: "suspended" } });
      await bumpTrustVersion(tx, s.tenantId);
    });
    const committed = performance.now();
    const clientLag = await lagUntil(committed, () => s.credentials(), (r) => r.status === 401);
    expect(clientLag).toBeLessThanOrEqual(POLL_MS + SLACK_MS);
    expect((await s.credentials()).body.error_description).toBe(`client "${s.secretClient.clientId}" is suspended`);

    await db().$transaction(async (tx) => {
      await tx.client.update({ where: { clientId: s.secretClient.clientId }, data: { status: "active" } });
      await tx.identityProvider.update({ where: { id: s.idp.id }, data: { enabled: false } });
      await bumpTrustVersion(tx, s.tenantId);
    });
    const again = performance.now();
    const idpLag = await lagUntil(again, () => s.bearer(), (r) => r.body.error_description === `iss: the identity provider "${s.idpName}" is disabled`);
    expect(idpLag).toBeLessThanOrEqual(POLL_MS + SLACK_MS);
  });

  it("sees a client suspended or deleted and an IdP disabled by another process within POLL_MS", async () => {
    const s = await setup();
    expect((await s.credentials()).status).toBe(200);
    expect((await s.withAssertion({ privateKey: s.tppKey1.privateKey, kid: "tpp-1" })).status).toBe(200);
    expect((await s.bearer()).status).toBe(200);

    await other.run({ op: "update-client", slug: s.slug, clientId: s.secretClient.clientId, input: { status: "suspended" } });
    const suspendLag = await lagUntil(performance.now(), () => s.credentials(), (r) => r.status === 401);
    expect(suspendLag).toBeLessThanOrEqual(POLL_MS + SLACK_MS);

    await other.run({ op: "update-client", slug: s.slug, clientId: s.secretClient.clientId, input: { status: "active" } });
    const reactivateLag = await lagUntil(performance.now(), () => s.credentials(), (r) => r.status === 200);
    expect(reactivateLag).toBeLessThanOrEqual(POLL_MS + SLACK_MS);

    await other.run({ op: "update-idp", slug: s.slug, id: s.idp.id, input: { enabled: false } });
    const idpLag = await lagUntil(performance.now(), () => s.bearer(), (r) => r.status === 400);
    expect(idpLag).toBeLessThanOrEqual(POLL_MS + SLACK_MS);

    await other.run({ op: "delete-client", slug: s.slug, clientId: s.jwtClient.clientId });
    const deleteLag = await lagUntil(performance.now(), () => s.withAssertion({ privateKey: s.tppKey1.privateKey, kid: "tpp-1" }), (r) => r.status === 401);
    expect(deleteLag).toBeLessThanOrEqual(POLL_MS + SLACK_MS);
    expect((await s.withAssertion({ privateKey: s.tppKey1.privateKey, kid: "tpp-1" })).body.error_description).toBe(`no client "${s.jwtClient.clientId}" in this tenant`);
  });
});
