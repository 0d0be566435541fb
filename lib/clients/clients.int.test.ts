import { generateKeyPairSync, webcrypto } from "node:crypto";
import "reflect-metadata";
import { X509CertificateGenerator } from "@peculiar/x509";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant } from "@/lib/tenants/tenants";
import { createClient, deleteClient, getClient, listClients, updateClient } from "@/lib/clients/clients";
import { addClientKey, removeClientKey } from "@/lib/clients/client-keys";
import { ADMIN, actorWith, uniq } from "@/tests/integration/helpers";

const OPERATOR = actorWith("operator");

/** The error's field messages by path, as the console and the API show them beside each field. */
async function fieldsOf(promise: Promise<unknown>): Promise<{ code: string; fields: Record<string, string> }> {
  const error = await promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: { code: string; fieldErrors?: { path: string; message: string }[] }) => e,
  );
  return { code: error.code, fields: Object.fromEntries((error.fieldErrors ?? []).map((f) => [f.path, f.message])) };
}
const VIEWER = actorWith("viewer");

async function tenant() {
  return (await createTenant(ADMIN, { slug: uniq("cli").replace(/-/g, "_"), name: "Clients Bank" })).slug;
}

function rsaJwk(bits = 2048): Record<string, unknown> {
  return generateKeyPairSync("rsa", { modulusLength: bits }).publicKey.export({ format: "jwk" }) as Record<string, unknown>;
}

/** A TPP signing certificate (self-signed, ES256) valid for `days`. */
async function tppCertificate(days: number): Promise<string> {
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"]);
  const notBefore = new Date(Date.now() - 86_400_000);
  const cert = await X509CertificateGenerator.createSelfSigned({
    name: "CN=signing.tpp.example,O=Test TPP Ltd",
    notBefore,
    notAfter: new Date(Date.now() + days * 86_400_000),
    keys,
    signingAlgorithm: alg,
  });
  return cert.toString("pem");
}

describe("client management", () => {
  it("pages through many clients newest first, searches and filters", async () => {
    const slug = await tenant();
    const made: string[] = [];
    for (let i = 0; i < 23; i++) {
      const c = await createClient(OPERATOR, slug, {
        name: i % 5 === 0 ? `Acme Payments ${i}` : `TPP ${i}`,
        tokenEndpointAuthMethod: i % 2 === 0 ? "client_secret_basic" : "private_key_jwt",
        ...(i % 2 === 0 ? {} : { jwks: { keys: [rsaJwk()] } }),
      });
      made.push(c.clientId);
    }
    const seen: { clientId: string; createdAt: string }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listClients(VIEWER, slug, { limit: 10, cursor });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    // Every client once, newest first.
    expect(seen.map((c) => c.clientId).sort()).toEqual([...made].sort());
    const times = seen.map((c) => Date.parse(c.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    expect((await listClients(VIEWER, slug, { q: "acme" })).items.map((c) => c.name).sort()).toEqual(["Acme Payments 0", "Acme Payments 10", "Acme Payments 15", "Acme Payments 20", "Acme Payments 5"]);
    expect((await listClients(VIEWER, slug, { q: made[3] })).items.map((c) => c.clientId)).toEqual([made[3]]);
    expect((await listClients(VIEWER, slug, { authMethod: "private_key_jwt" })).items).toHaveLength(11);
    expect((await listClients(VIEWER, slug, { registeredVia: "dcr" })).items).toHaveLength(0);
    await updateClient(OPERATOR, slug, made[0]!, { status: "suspended" });
    expect((await listClients(VIEWER, slug, { status: "suspended" })).items.map((c) => c.clientId)).toEqual([made[0]]);
    await expect(listClients(VIEWER, slug, { cursor: "not-a-cursor" })).rejects.toMatchObject({ fieldErrors: [{ path: "cursor" }] });
    await expect(listClients(VIEWER, slug, { status: "deleted" })).rejects.toMatchObject({ fieldErrors: [{ path: "status" }] });
  });

  it("renames, suspends, reactivates and deletes a client, audited; viewers may only read", async () => {
    const slug = await tenant();
    const { clientId } = await createClient(OPERATOR, slug, { name: "Old name", tokenEndpointAuthMethod: "client_secret_basic" });
    expect(await updateClient(OPERATOR, slug, clientId, { name: "New name", scope: "accounts" })).toMatchObject({ name: "New name", scope: "accounts", status: "active" });
    expect((await updateClient(OPERATOR, slug, clientId, { status: "suspended" })).status).toBe("suspended");
    expect((await updateClient(OPERATOR, slug, clientId, { status: "active" })).status).toBe("active");
    await expect(updateClient(VIEWER, slug, clientId, { name: "x" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(updateClient(OPERATOR, slug, clientId, { clientSecretHash: "x" })).rejects.toMatchObject({ code: "validation_failed" });
    expect((await getClient(VIEWER, slug, clientId)).registeredVia).toBe("console");
    await deleteClient(OPERATOR, slug, clientId);
    await expect(getClient(VIEWER, slug, clientId)).rejects.toMatchObject({ code: "not_found" });
    const actions = (await db().auditEvent.findMany({ where: { tenantSlug: slug, targetId: clientId }, orderBy: { at: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["client.create", "client.update", "client.suspend", "client.reactivate", "client.delete"]);
    // Another tenant cannot reach it by its id.
    const other = await tenant();
    const mine = await createClient(OPERATOR, slug, { name: "Mine", tokenEndpointAuthMethod: "client_secret_basic" });
    await expect(getClient(VIEWER, other, mine.clientId)).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteClient(OPERATOR, other, mine.clientId)).rejects.toMatchObject({ code: "not_found" });
  });

  it("keeps a client's OAuth metadata consistent at creation and on every edit, with the tenant profile's algorithms", async () => {
    const slug = await tenant();
    const jwks = { keys: [{ ...rsaJwk(), kid: "k1" }] };
    const web = await createClient(OPERATOR, slug, {
      name: "Web TPP",
      tokenEndpointAuthMethod: "private_key_jwt",
      jwks,
      grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
      responseTypes: ["code", "code id_token"],
      redirectUris: ["https://tpp.example/cb"],
      tokenEndpointAuthSigningAlg: "PS256",
      idTokenSignedResponseAlg: "PS256",
      requestObjectSigningAlg: "PS256",
      softwareId: "sw-1",
      orgName: "TPP Ltd",
      roles: ["AISP"],
    });
    expect(web).toMatchObject({ responseTypes: ["code", "code id_token"], tokenEndpointAuthSigningAlg: "PS256", redirectUris: ["https://tpp.example/cb"], roles: ["AISP"] });

    // Each broken variant names its field and stores nothing.
    const before = await db().client.count({ where: { tenant: { slug } } });
    const base = { name: "Bad", tokenEndpointAuthMethod: "private_key_jwt", jwks };
    const bad: [string, Record<string, unknown>, string, RegExp][] = [
      ["code without a redirect URI", { grantTypes: ["authorization_code"], responseTypes: ["code"] }, "redirectUris", /need at least one redirect URI/],
      ["code response without its grant", { grantTypes: ["client_credentials"], responseTypes: ["code"], redirectUris: ["https://tpp.example/cb"] }, "responseTypes", /need grant_types authorization_code/],
      ["authorization_code without code", { grantTypes: ["authorization_code"], redirectUris: ["https://tpp.example/cb"] }, "grantTypes", /needs a response type with code/],
      ["an unknown grant", { grantTypes: ["password"] }, "grantTypes.0", /./],
      ["an unknown response type", { responseTypes: ["code token id_token extra"] }, "responseTypes.0", /./],
      ["HS256", { tokenEndpointAuthSigningAlg: "HS256" }, "tokenEndpointAuthSigningAlg", /must be one of RS256/],
      ["none", { idTokenSignedResponseAlg: "none" }, "idTokenSignedResponseAlg", /must be one of/],
      ["a fragment in a redirect URI", { grantTypes: ["authorization_code"], responseTypes: ["code"], redirectUris: ["https://tpp.example/cb#x"] }, "redirectUris.0", /fragment/],
      ["a relative redirect URI", { redirectUris: ["/cb"] }, "redirectUris.0", /absolute URL/],
    ];
    for (const [name, extra, field, message] of bad) {
      const error = await fieldsOf(createClient(OPERATOR, slug, { ...base, ...extra }));
      expect(error.code, name).toBe("validation_failed");
      expect(error.fields[field], `${name}: ${JSON.stringify(error.fields)}`).toMatch(message);
    }
    const basicWithAlg = await fieldsOf(createClient(OPERATOR, slug, { name: "Basic", tokenEndpointAuthMethod: "client_secret_basic", tokenEndpointAuthSigningAlg: "PS256" }));
    expect(basicWithAlg.fields.tokenEndpointAuthSigningAlg).toMatch(/private_key_jwt clients only/);
    expect(await db().client.count({ where: { tenant: { slug } } })).toBe(before);

    // A PS256-only profile refuses RS256, at creation and on edit.
    const ob = (await createTenant(ADMIN, { slug: uniq("obc").replace(/-/g, "_"), name: "OB Bank", profile: "ob-uk" })).slug;
    expect((await fieldsOf(createClient(OPERATOR, ob, { ...base, tokenEndpointAuthSigningAlg: "RS256" }))).fields.tokenEndpointAuthSigningAlg).toMatch(/RS256 is not allowed by this tenant's profile \(PS256\)/);
    const obClient = await createClient(OPERATOR, ob, { ...base, tokenEndpointAuthSigningAlg: "PS256" });
    expect((await fieldsOf(updateClient(OPERATOR, ob, obClient.clientId, { requestObjectSigningAlg: "ES256" }))).fields.requestObjectSigningAlg).toMatch(/not allowed/);

    // Edits are checked against what the client already has.
    expect((await fieldsOf(updateClient(OPERATOR, slug, web.clientId, { redirectUris: [] }))).fields.redirectUris).toMatch(/^grant_types authorization_code need at least one redirect URI$/);
    expect((await fieldsOf(updateClient(OPERATOR, slug, web.clientId, { grantTypes: ["client_credentials"] }))).fields.responseTypes).toMatch(/need grant_types authorization_code/);
    expect((await fieldsOf(updateClient(OPERATOR, slug, web.clientId, { tlsClientAuthSubjectDn: "CN=x" }))).fields.tlsClientAuthSubjectDn).toMatch(/tls_client_auth clients only/);
    expect((await fieldsOf(updateClient(OPERATOR, slug, web.clientId, { jwksUri: "https://tpp.example/jwks" }))).fields.jwksUri).toMatch(/keys are held here/);
    const edited = await updateClient(OPERATOR, slug, web.clientId, {
      grantTypes: ["client_credentials"],
      responseTypes: [],
      redirectUris: [],
      idTokenSignedResponseAlg: null,
      roles: ["AISP", "PISP"],
      orgName: null,
    });
    expect(edited).toMatchObject({ grantTypes: ["client_credentials"], responseTypes: [], redirectUris: [], idTokenSignedResponseAlg: null, tokenEndpointAuthSigningAlg: "PS256", roles: ["AISP", "PISP"], orgName: null });
    const audit = await db().auditEvent.findFirst({ where: { tenantSlug: slug, targetId: web.clientId, action: "client.update" } });
    expect(JSON.parse(audit!.before!)).toMatchObject({ grantTypes: ["authorization_code", "refresh_token", "client_credentials"], orgName: "TPP Ltd" });
    expect(JSON.parse(audit!.after!)).toMatchObject({ grantTypes: ["client_credentials"], roles: ["AISP", "PISP"], orgName: null });

    // A DCR client's registered metadata is its TPP's; the bank still renames, rescopes and suspends it.
    await db().client.update({ where: { clientId: web.clientId }, data: { registeredVia: "dcr" } });
    await expect(updateClient(OPERATOR, slug, web.clientId, { redirectUris: ["https://evil.example/cb"], roles: [] })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/registered through Dynamic Client Registration: its roles, redirectUris are the TPP's to change \(RFC 7592\)/),
    });
    expect((await updateClient(OPERATOR, slug, web.clientId, { name: "Renamed", status: "suspended" })).status).toBe("suspended");
  });

  it("adds keys from a PEM certificate and a JWK, refuses bad ones, removes all but the last", async () => {
    const slug = await tenant();
    const { clientId } = await createClient(OPERATOR, slug, { name: "Keys TPP", tokenEndpointAuthMethod: "private_key_jwt", jwks: { keys: [{ ...rsaJwk(), kid: "first" }] } });
    const fromCert = await addClientKey(OPERATOR, slug, clientId, { certificatePem: await tppCertificate(10) });
    expect(fromCert).toMatchObject({
      kty: "EC",
      crv: "P-256",
      kid: fromCert.x5t,
      x5t: expect.any(String),
      x5tS256: expect.any(String),
      certificateSubject: expect.stringContaining("CN=signing.tpp.example"),
      expiry: "soon",
    });
    const fromJwk = await addClientKey(OPERATOR, slug, clientId, { jwk: rsaJwk() });
    expect(fromJwk).toMatchObject({ kty: "RSA", bits: 2048, kid: expect.stringMatching(/^[\w-]{43}$/), expiry: "none" });
    const keys = (await getClient(VIEWER, slug, clientId)).jwks!.keys;
    expect(keys.map((k) => k.kid)).toEqual(["first", fromCert.kid, fromJwk.kid]);
    expect(JSON.stringify(keys)).not.toMatch(/"d":/);

    const priv = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
    const bad: [unknown, RegExp][] = [
      [{ jwk: { ...rsaJwk(), kid: "first" } }, /already has a key with kid "first"/],
      [{ jwk: priv }, /holds private members \(d, p, q, dp, dq, qi\)/],
      [{ jwk: rsaJwk(1024) }, /an RSA key of 1024 bits; keys of 2048 to 8192 bits are accepted/],
      [{ jwk: { kty: "oct", k: "c2VjcmV0" } }, /is a symmetric key/],
      [{ jwk: { ...rsaJwk(), alg: "ES256" } }, /alg "ES256" is not a signature algorithm for this RSA key/],
      [{ jwk: { ...rsaJwk(), alg: "HS256" } }, /alg "HS256" is not a signature algorithm/],
      [{ jwk: { kty: "RSA", n: "AQAB", e: "AQAB" } }, /RSA key of \d+ bits|not a valid public JWK/],
      [{ certificatePem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----" }, /certificatePem:/],
      [{ jwk: rsaJwk(), certificatePem: "x" }, /invalid input/],
    ];
    for (const [input, message] of bad) {
      await expect(addClientKey(OPERATOR, slug, clientId, input), JSON.stringify(input).slice(0, 60)).rejects.toMatchObject({ message: expect.stringMatching(message) });
    }
    expect((await getClient(VIEWER, slug, clientId)).jwks!.keys).toHaveLength(3);

    await removeClientKey(OPERATOR, slug, clientId, "first");
    await removeClientKey(OPERATOR, slug, clientId, fromJwk.kid!);
    await expect(removeClientKey(OPERATOR, slug, clientId, fromCert.kid!)).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/only key/) });
    await expect(removeClientKey(OPERATOR, slug, clientId, "nope")).rejects.toMatchObject({ code: "not_found" });
    const basic = await createClient(OPERATOR, slug, { name: "Secret TPP", tokenEndpointAuthMethod: "client_secret_basic" });
    await expect(addClientKey(OPERATOR, slug, basic.clientId, { jwk: rsaJwk() })).rejects.toMatchObject({ code: "conflict" });
    await expect(addClientKey(VIEWER, slug, clientId, { jwk: rsaJwk() })).rejects.toMatchObject({ code: "forbidden" });
    const audit = await db().auditEvent.findMany({ where: { tenantSlug: slug, action: { in: ["client.key_add", "client.key_remove"] } } });
    expect(audit).toHaveLength(4);
  });
});
