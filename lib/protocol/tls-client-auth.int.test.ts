import { createHash, webcrypto } from "node:crypto";
import "reflect-metadata";
import { X509CertificateGenerator } from "@peculiar/x509";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { createTenant } from "@/lib/tenants/tenants";
import { rotateNow } from "@/lib/rotation/rotate";
import { createClient } from "@/lib/clients/clients";
import { normalizeDn, subjectMatches } from "@/lib/protocol/client-certificate";
import { ADMIN, actorWith, uniq, startProtocolServer } from "@/tests/integration/helpers";

const OPERATOR = actorWith("operator");
let closeServer: () => Promise<void>;
let base: string;

beforeAll(async () => {
  ({ base, close: closeServer } = await startProtocolServer());
  process.env.KEYWARD_TRUST_PROXY = "true";
  resetEnvForTests();
});
afterAll(async () => {
  delete process.env.KEYWARD_TRUST_PROXY;
  resetEnvForTests();
  await closeServer();
});

/** A transport certificate as the proxy forwards it (RFC 9440), and its DER. */
async function transportCertificate(name: string, validDays = 30): Promise<{ header: string; der: Buffer }> {
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"]);
  const now = Date.now();
  const cert = await X509CertificateGenerator.createSelfSigned({
    name,
    notBefore: new Date(now - 2 * 86_400_000),
    notAfter: new Date(now + validDays * 86_400_000),
    keys,
    signingAlgorithm: alg,
  });
  const der = Buffer.from(cert.rawData);
  return { header: `:${der.toString("base64")}:`, der };
}

async function token(slug: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/${slug}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe("tls_client_auth (RFC 8705)", () => {
  it("issues a certificate-bound token to the client whose forwarded certificate has the registered subject", async () => {
    const slug = (await createTenant(ADMIN, { slug: uniq("mtls").replace(/-/g, "_"), name: "mTLS Bank", profile: "ob-uk" })).slug;
    await rotateNow(OPERATOR, slug);
    const client = await createClient(OPERATOR, slug, {
      name: "mTLS TPP",
      tokenEndpointAuthMethod: "tls_client_auth",
      tlsClientAuthSubjectDn: "CN=tpp.example, O=TPP Ltd, C=GB",
      grantTypes: ["client_credentials"],
    });
    const good = await transportCertificate("C=GB, O=TPP Ltd, CN=tpp.example");
    const form = { grant_type: "client_credentials", client_id: client.clientId };

    const ok = await token(slug, form, { "client-cert": good.header });
    expect(ok.status).toBe(200);
    expect(decodeJwt(ok.body.access_token!).cnf).toEqual({ "x5t#S256": createHash("sha256").update(good.der).digest("base64url") });

    const other = await transportCertificate("C=GB, O=Someone Else, CN=tpp.example");
    expect(await token(slug, form, { "client-cert": other.header })).toMatchObject({
      status: 401,
      body: { error: "invalid_client", error_description: expect.stringMatching(/subject ".*O=Someone Else.*" is not the registered tls_client_auth_subject_dn "CN=tpp\.example, O=TPP Ltd, C=GB"/) },
    });
    expect(await token(slug, form)).toMatchObject({ status: 401, body: { error_description: expect.stringMatching(/must come over mutual TLS/) } });
    expect(await token(slug, form, { "client-cert": ":not base64!:" })).toMatchObject({ status: 401, body: { error_description: expect.stringMatching(/not an RFC 9440 byte sequence/) } });
    const expired = await transportCertificate("C=GB, O=TPP Ltd, CN=tpp.example", -1);
    expect(await token(slug, form, { "client-cert": expired.header })).toMatchObject({ status: 401, body: { error_description: expect.stringMatching(/not valid now/) } });
    expect(await token(slug, form, { "client-cert": good.header, authorization: "Basic eDp5" })).toMatchObject({ status: 401 });

    // Without a trusted proxy in front, a Client-Cert header is anybody's word: ignored.
    process.env.KEYWARD_TRUST_PROXY = "false";
    resetEnvForTests();
    try {
      expect(await token(slug, form, { "client-cert": good.header })).toMatchObject({ status: 401, body: { error_description: expect.stringMatching(/must come over mutual TLS/) } });
    } finally {
      process.env.KEYWARD_TRUST_PROXY = "true";
      resetEnvForTests();
    }
  });

  it("needs the subject DN at registration, and only for tls_client_auth", async () => {
    const slug = (await createTenant(ADMIN, { slug: uniq("mtls").replace(/-/g, "_"), name: "mTLS Bank" })).slug;
    await expect(createClient(OPERATOR, slug, { name: "x", tokenEndpointAuthMethod: "tls_client_auth" })).rejects.toMatchObject({
      fieldErrors: [{ path: "tlsClientAuthSubjectDn", message: "is required with tls_client_auth" }],
    });
    await expect(createClient(OPERATOR, slug, { name: "x", tokenEndpointAuthMethod: "client_secret_basic", tlsClientAuthSubjectDn: "CN=x" })).rejects.toMatchObject({
      fieldErrors: [{ path: "tlsClientAuthSubjectDn" }],
    });
  });

  it("compares distinguished names by their attributes, in either order, never partially", () => {
    expect(normalizeDn("cn=a, O=B Ltd ,c=GB")).toEqual(["CN=a", "O=B Ltd", "C=GB"]);
    expect(subjectMatches("C=GB\nO=B Ltd\nCN=a", "CN=a,O=B Ltd,C=GB")).toBe(true);
    expect(subjectMatches("C=GB\nO=B Ltd\nCN=a", "C=GB, O=B Ltd, CN=a")).toBe(true);
    expect(subjectMatches("C=GB\nO=B Ltd\nCN=a", "CN=a,O=B Ltd")).toBe(false);
    expect(subjectMatches("C=GB\nO=B\\, Ltd\nCN=a", "CN=a,O=B\\, Ltd,C=GB")).toBe(true);
    expect(subjectMatches("C=GB\nO=B Ltd\nCN=ab", "CN=a,O=B Ltd,C=GB")).toBe(false);
  });
});
