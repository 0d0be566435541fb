/**
 * Hostile PEM, DER and base64 and RFC 5280-breaking certificates, through
 * every service that reads them: signing key upload (private key and
 * certificate), certificate attach, CSR subjects, the IdP's certificates,
 * a client's key from its PEM certificate, the PEM→JWK tool and config
 * import. Each refusal names the field and the fault; nothing is stored.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant } from "@/lib/tenants/tenants";
import { addSigningKey } from "@/lib/keys/add-key";
import { attachSigningKeyCertificate } from "@/lib/keys/attach-certificate";
import { createSigningKeyCsr } from "@/lib/keys/csr";
import { createIdentityProvider } from "@/lib/idps/identity-providers";
import { createClient } from "@/lib/clients/clients";
import { addClientKey } from "@/lib/clients/client-keys";
import { certificateToJwk } from "@/lib/keys/certificate-to-jwk";
import { importTenantConfig } from "@/lib/tenants/config-import";
import { CONFIG_FORMAT } from "@/lib/tenants/config-schema";
import { ADMIN, actorWith, startProtocolServer, uniq } from "@/tests/integration/helpers";
import { expectRefused, expectServing } from "./helpers";
import { armourCases, badKeyCertificateCases, certificateOnlyCases, oddCertificateCases, oversizedCases, privateKeyCases, type TextCase } from "./corpus/pem";
import { jwkCases } from "./corpus/jwk";

const OPERATOR = actorWith("operator");
let base: string;
let close: () => Promise<void>;
let slug: string;
let kid: string;
let clientId: string;
const key = generateKeyPairSync("ec", { namedCurve: "P-256" });
const keyPem = key.privateKey.export({ type: "pkcs8", format: "pem" }).toString();

async function counts() {
  const tenant = await db().tenant.findUniqueOrThrow({ where: { slug }, include: { signingKeys: true, identityProviders: true, clients: true } });
  return {
    keys: tenant.signingKeys.map((k) => `${k.kid}:${k.certSha256 ?? ""}:${k.csrPem?.length ?? 0}`).sort(),
    idps: tenant.identityProviders.length,
    clients: tenant.clients.map((c) => c.jwks ?? "").sort(),
    publishVersion: tenant.publishVersion,
  };
}

beforeAll(async () => {
  ({ base, close } = await startProtocolServer());
  slug = (await createTenant(ADMIN, { slug: uniq("pem").replace(/-/g, "_"), name: "Hostile PEM Bank" })).slug;
  kid = (await addSigningKey(OPERATOR, slug, { source: "generate", alg: "ES256" })).kid;
  clientId = (await createClient(OPERATOR, slug, { name: "PEM TPP", tokenEndpointAuthMethod: "private_key_jwt", jwks: { keys: [{ ...(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }) as Record<string, unknown>), kid: "first" }] } })).clientId;
});
afterAll(async () => close());

/** Runs every case through one intake, checking nothing was stored and the server still answers. */
function intake(title: string, cases: () => TextCase[], call: (text: string) => Promise<unknown>, path: string | RegExp) {
  describe(title, () => {
    let before: Awaited<ReturnType<typeof counts>>;
    beforeAll(async () => {
      before = await counts();
    });
    for (const c of cases()) {
      it(`refuses ${c.name}`, async () => {
        await expectRefused(call(c.text), { says: c.says, path }, c.name);
      });
    }
    it("stored nothing and still serves its JWKS", async () => {
      expect(await counts()).toEqual(before);
      await expectServing(base, slug);
    });
  });
}

const withOversized = (cases: TextCase[]) => [...cases, ...oversizedCases()];

intake("signing key upload: the private key field", () => withOversized([...armourCases("PRIVATE"), ...privateKeyCases()]), (text) => addSigningKey(OPERATOR, slug, { source: "pem", privateKeyPem: text }), /^(privateKeyPem|passphrase)$/);
intake("signing key upload: the certificate field", () => withOversized([...armourCases("CERTIFICATE").filter((c) => c.name !== "only whitespace and newlines" /* an empty optional field: no certificate */), ...certificateOnlyCases(), ...oddCertificateCases(key)]), (text) => addSigningKey(OPERATOR, slug, { source: "pem", privateKeyPem: keyPem, certificatePem: text }), "certificatePem");
intake("certificate attach", () => withOversized([...armourCases("CERTIFICATE"), ...certificateOnlyCases()]), (text) => attachSigningKeyCertificate(OPERATOR, slug, kid, { certificatePem: text }), "certificatePem");
intake("identity provider certificates", () => withOversized([...armourCases("CERTIFICATE"), ...certificateOnlyCases().slice(0, 3), ...oddCertificateCases(key), ...badKeyCertificateCases()]), (text) => createIdentityProvider(OPERATOR, slug, { name: uniq("https://idp.example/"), certificatePem: text }), "certificatePem");
intake("a client's key from its PEM certificate", () => [...armourCases("CERTIFICATE"), ...certificateOnlyCases().slice(0, 3), ...oddCertificateCases(key), ...badKeyCertificateCases()], (text) => addClientKey(OPERATOR, slug, clientId, { certificatePem: text }), "certificatePem");
intake("the PEM to JWK tool", () => [...armourCases("CERTIFICATE").slice(0, 12), ...oddCertificateCases(key).slice(0, 6)], (text) => certificateToJwk(OPERATOR, { certificatePem: text }), "certificatePem");

describe("CSR subjects", () => {
  const subjects: [string, string, RegExp][] = [
    ["no attribute type", "bank.example", /subject/i],
    ["an unknown attribute", "XYZ=bank", /subject|XYZ|attribute/i],
    ["an empty value", "CN=", /subject|empty/i],
    ["1 001 characters", `CN=${"a".repeat(998)}`, /at most 1000|too big|Too big/i],
    ["a NUL byte", "CN=bank\u0000evil.example", /subject|control|NUL|character/i],
    ["unbalanced quoting", 'CN="bank', /subject|quote/i],
    ["a dangling escape", "CN=bank\\", /subject|escape/i],
    ["two characters", "CN", /is required|at least|subject/i],
  ];
  for (const [name, subject, says] of subjects) {
    it(`refuses ${name}`, async () => {
      const before = await db().signingKey.findFirstOrThrow({ where: { kid, tenant: { slug } } });
      await expectRefused(createSigningKeyCsr(OPERATOR, slug, kid, { subject }), { says, path: "subject" }, name);
      expect((await db().signingKey.findFirstOrThrow({ where: { kid, tenant: { slug } } })).csrPem).toBe(before.csrPem);
    });
  }
});

describe("config import: new keys as private JWKs", () => {
  const base64Cases = jwkCases().filter((c) => !/private member/.test(c.name)).slice(0, 14);
  for (const c of base64Cases) {
    it(`refuses a new key that is ${c.name}`, async () => {
      const before = await counts();
      const error = await expectRefused(importTenantConfig(OPERATOR, slug, { format: CONFIG_FORMAT, signingKeys: [{ jwk: c.jwk }] }), { says: /jwk|key|kty|crv|"n"|private|RSA|EC/i, path: /^signingKeys\.0/ }, c.name);
      expect(error.fieldErrors.length).toBeGreaterThan(0);
      expect(await counts()).toEqual(before);
    });
  }
});
