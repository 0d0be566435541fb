import "reflect-metadata";
import { Pkcs10CertificateRequest, SubjectAlternativeNameExtension } from "@peculiar/x509";
import { spawnSync } from "node:child_process";
import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createCsr } from "./create-csr";
import { KeyInputError } from "./key-input-error";
import { SIGNING_ALGS, type SigningAlg } from "./signing-algorithms";
import { setUpOpensslFixtures } from "./test-openssl-fixtures";

const fx = setUpOpensslFixtures();

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const KEYS: Record<SigningAlg, KeyObject> = {
  PS256: rsa,
  RS256: rsa,
  ES256: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey,
  ES384: generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey,
  EdDSA: generateKeyPairSync("ed25519").privateKey,
};

const SUBJECT = "CN=0015800001HQQrZAAX,2.5.4.97=PSDGB-OB-Unknown0015800001HQQrZAAX,O=Bank plc,C=GB";

function opensslVerify(name: string, pem: string): string {
  fx.write(name, pem);
  const result = spawnSync("openssl", ["req", "-verify", "-noout", "-subject", "-in", fx.path(name)], { encoding: "utf8" });
  expect(result.status).toBe(0);
  return `${result.stdout}${result.stderr}`;
}

async function expectBadSubject(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(KeyInputError);
  expect((error as KeyInputError).code).toBe("bad_subject");
  expect((error as KeyInputError).field).toBe("subject");
  expect((error as KeyInputError).message).toMatch(pattern);
}

describe("createCsr", () => {
  it.each(SIGNING_ALGS)("makes a %s CSR that verifies with @peculiar/x509 and openssl", async (alg) => {
    const key = KEYS[alg];
    const pem = await createCsr({ privateKey: key, alg, subject: SUBJECT, sans: ["DNS:signing.bank.example", "URI:https://bank.example/jwks"] });
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+\n-----END CERTIFICATE REQUEST-----\n$/);
    const csr = new Pkcs10CertificateRequest(pem);
    expect(await csr.verify()).toBe(true);
    expect(csr.subject).toBe("CN=0015800001HQQrZAAX, 2.5.4.97=PSDGB-OB-Unknown0015800001HQQrZAAX, O=Bank plc, C=GB");
    expect(Buffer.from(csr.publicKey.rawData).equals(createPublicKey(key).export({ type: "spki", format: "der" }))).toBe(true);
    const san = csr.getExtension(SubjectAlternativeNameExtension.NAME) ?? csr.extensions[0];
    expect(new SubjectAlternativeNameExtension(san!.rawData).names.items.map((n) => `${n.type}:${n.value}`)).toEqual([
      "dns:signing.bank.example",
      "url:https://bank.example/jwks",
    ]);
    const out = opensslVerify(`${alg}.csr`, pem);
    expect(out).toContain("verify OK");
    expect(out).toContain("organizationIdentifier = PSDGB-OB-Unknown0015800001HQQrZAAX");
  });

  it("signs RSA CSRs with PSS for PS256 and PKCS#1 v1.5 for RS256", async () => {
    const pss = new Pkcs10CertificateRequest(await createCsr({ privateKey: rsa, alg: "PS256", subject: "CN=a" }));
    expect(pss.signatureAlgorithm.name).toBe("RSA-PSS");
    const v15 = new Pkcs10CertificateRequest(await createCsr({ privateKey: rsa, alg: "RS256", subject: "CN=a" }));
    expect(v15.signatureAlgorithm.name).toBe("RSASSA-PKCS1-v1_5");
    expect(v15.extensions).toEqual([]);
  });

  it("refuses bad subjects", async () => {
    const make = (subject: string) => createCsr({ privateKey: KEYS.ES256, alg: "ES256", subject });
    await expectBadSubject(make(""), /empty/);
    await expectBadSubject(make("hello"), /type=value/);
    await expectBadSubject(make("CN=a;O=b"), /type=value/);
    await expectBadSubject(make("Foo=bar"), /unknown attribute "Foo"/);
    await expectBadSubject(make("CN=x,C=United Kingdom"), /two-letter/);
    await expectBadSubject(make("CN=x,,O=y"), /type=value/);
  });

  it("accepts escaped and quoted values, names in any case, and OB attribute names", async () => {
    const pem = await createCsr({
      privateKey: KEYS.ES256,
      alg: "ES256",
      subject: 'cn=signing, o="Bank, Inc", organizationIdentifier=PSDGB-OB-1, ou=Payments\\, Treasury, c=GB',
    });
    expect(new Pkcs10CertificateRequest(pem).subject).toBe(
      "CN=signing, O=Bank\\, Inc, 2.5.4.97=PSDGB-OB-1, OU=Payments\\, Treasury, C=GB",
    );
  });

  it("refuses bad SANs", async () => {
    const make = (san: string) => createCsr({ privateKey: KEYS.ES256, alg: "ES256", subject: "CN=x", sans: [san] });
    await expectBadSubject(make("DNS:not a host"), /not a valid DNS name/);
    await expectBadSubject(make("IP:999.1.1.1"), /IPv4 or IPv6/);
    await expectBadSubject(make("foo:bar"), /unknown type/);
    const bare = await createCsr({ privateKey: KEYS.ES256, alg: "ES256", subject: "CN=x", sans: ["bank.example", "10.0.0.1"] });
    const csr = new Pkcs10CertificateRequest(bare);
    expect(new SubjectAlternativeNameExtension(csr.extensions[0]!.rawData).names.items.map((n) => n.type)).toEqual(["dns", "ip"]);
  });

  it("refuses an alg the key cannot use", async () => {
    await expect(createCsr({ privateKey: KEYS.ES256, alg: "PS256", subject: "CN=x" })).rejects.toMatchObject({
      code: "alg_mismatch",
      field: "alg",
    });
  });
});
