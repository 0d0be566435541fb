import fc from "fast-check";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { certificateDetails } from "./certificate-details";
import { KeyInputError, type KeyInputErrorCode, type KeyInputField } from "./key-input-error";
import { parsePrivateKey } from "./parse-private-key";
import {
  attachCertificate,
  prepareSigningKey,
  type PreparedSigningKey,
  type PrepareSigningKeyInput,
} from "./prepare-signing-key";
import { algsForKey, SIGNING_ALGS, type SigningAlg } from "./signing-algorithms";
import { hexToBase64url, LEAF_SUBJECT, PASSPHRASE, setUpOpensslFixtures } from "./test-openssl-fixtures";
import { jwkThumbprint } from "./thumbprints";

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

const fx = setUpOpensslFixtures((f) => {
  f.leaf();
  f.rsaEncrypted();
  f.rsaPkcs1();
  f.rsaOther();
  f.rsa1024();
  f.rsaPublic();
  f.leafKeyEncipherment();
  f.selfSignedP256();
  f.p256Sec1();
  f.p521();
});

// Inside every fixture certificate's validity window.
const NOW = new Date(Date.now() + 60_000);
const ALL = { allowedAlgs: [...SIGNING_ALGS], now: NOW };
const OB_UK = { allowedAlgs: ["PS256"] as SigningAlg[], now: NOW };

const chainInOrder = () => fx.read("leaf.pem") + fx.read("int.pem") + fx.read("ca.pem");

async function expectError(
  promise: Promise<unknown>,
  code: KeyInputErrorCode,
  field: KeyInputField,
): Promise<KeyInputError> {
  const error = await promise.then(
    () => new Error(`expected KeyInputError ${code}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyInputError);
  const e = error as KeyInputError;
  expect({ code: e.code, field: e.field }).toEqual({ code, field });
  expect(e.message).not.toContain(PASSPHRASE);
  expect(e.message).not.toMatch(/[A-Za-z0-9+/]{40,}/);
  return e;
}

function assertPublicOnly(prepared: PreparedSigningKey, key: KeyObject): void {
  for (const member of PRIVATE_MEMBERS) expect(prepared.publicJwk).not.toHaveProperty(member);
  const { privateKeyPkcs8Pem, ...rest } = prepared;
  expect(privateKeyPkcs8Pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  const json = JSON.stringify(rest);
  expect(json).not.toContain("PRIVATE KEY");
  const d = key.export({ format: "jwk" }).d;
  expect(typeof d).toBe("string");
  expect(json).not.toContain(d);
}

describe("prepareSigningKey from PEM", () => {
  it("prepares an RSA key with a chain pasted in the wrong order (Open Banking UK)", async () => {
    const prepared = await prepareSigningKey(
      {
        source: "pem",
        privateKeyPem: fx.read("rsa.pem"),
        certificatePem: fx.read("ca.pem") + "\r\n" + fx.read("leaf.pem") + "\n\n" + fx.read("int.pem"),
      },
      OB_UK,
    );
    const x5t = hexToBase64url(fx.fingerprint("leaf.pem", "sha1"));
    expect(prepared.alg).toBe("PS256");
    expect(prepared.kidStrategy).toBe("x5t");
    expect(prepared.kid).toBe(x5t);
    expect(prepared.publicJwk.kid).toBe(x5t);
    expect(prepared.publicJwk.x5t).toBe(x5t);
    expect(prepared.publicJwk["x5t#S256"]).toBe(hexToBase64url(fx.fingerprint("leaf.pem", "sha256")));
    expect(prepared.publicJwk.x5c).toEqual([fx.base64Der("leaf.pem"), fx.base64Der("int.pem"), fx.base64Der("ca.pem")]);
    expect(prepared.publicJwk).toMatchObject({ kty: "RSA", use: "sig", alg: "PS256", e: "AQAB" });
    expect(prepared.certificateChainPem).toBe(chainInOrder());
    expect(prepared.chainComplete).toBe(true);
    expect(prepared.certificate?.sha256Fingerprint).toBe(fx.fingerprint("leaf.pem", "sha256"));
    expect(prepared.certificate?.subject).toContain("organizationIdentifier=PSDGB-OB-Unknown0015800001HQQrZAAX");
    expect(prepared.keyDescription).toEqual({ kty: "RSA", bits: 2048 });
    expect(prepared.warnings).toEqual([]);
    const key = parsePrivateKey(fx.read("rsa.pem"));
    assertPublicOnly(prepared, key);
    expect(parsePrivateKey(prepared.privateKeyPkcs8Pem).equals(key)).toBe(true);
    expect(LEAF_SUBJECT).toContain("2.5.4.97");
  });

  it("takes each kid strategy", async () => {
    const base = { source: "pem", privateKeyPem: fx.read("rsa-pkcs1.pem"), certificatePem: fx.read("leaf.pem") } as const;
    const s256 = await prepareSigningKey({ ...base, kidStrategy: "x5t#S256" }, ALL);
    expect(s256.kid).toBe(hexToBase64url(fx.fingerprint("leaf.pem", "sha256")));
    const thumb = await prepareSigningKey({ ...base, kidStrategy: "thumbprint" }, ALL);
    expect(thumb.kid).toBe(await jwkThumbprint(thumb.publicJwk));
    const given = await prepareSigningKey({ ...base, kid: "obbr-directory-kid-1" }, ALL);
    expect(given).toMatchObject({ kid: "obbr-directory-kid-1", kidStrategy: "given" });
    await expectError(prepareSigningKey({ ...base, kid: "has space" }, ALL), "bad_kid", "kid");
    const noCert = await prepareSigningKey({ source: "pem", privateKeyPem: fx.read("rsa.pem"), certificatePem: "  " }, ALL);
    expect(noCert).toMatchObject({ kidStrategy: "thumbprint", certificate: null, certificateChainPem: null, chainComplete: null });
    expect(noCert.kid).toBe(await jwkThumbprint(noCert.publicJwk));
    await expectError(
      prepareSigningKey({ source: "pem", privateKeyPem: fx.read("rsa.pem"), kidStrategy: "x5t" }, ALL),
      "bad_kid",
      "kid",
    );
  });

  it("honours a requested alg, and refuses one the tenant does not allow", async () => {
    const base = { source: "pem", privateKeyPem: fx.read("rsa.pem") } as const;
    expect((await prepareSigningKey({ ...base, alg: "RS256" }, ALL)).alg).toBe("RS256");
    expect((await prepareSigningKey(base, { ...ALL, allowedAlgs: ["RS256", "PS256"] })).alg).toBe("RS256");
    await expectError(prepareSigningKey({ ...base, alg: "RS256" }, OB_UK), "alg_not_allowed", "alg");
    await expectError(prepareSigningKey({ ...base, alg: "ES256" }, ALL), "alg_mismatch", "alg");
    await expectError(
      prepareSigningKey({ source: "pem", privateKeyPem: fx.read("p256-pkcs8.pem") }, OB_UK),
      "alg_not_allowed",
      "privateKeyPem",
    );
  });

  it("reads an encrypted key with its passphrase", async () => {
    const prepared = await prepareSigningKey(
      { source: "pem", privateKeyPem: fx.read("rsa-enc.pem"), passphrase: PASSPHRASE, certificatePem: fx.read("leaf.pem") },
      OB_UK,
    );
    expect(prepared.kid).toBe(hexToBase64url(fx.fingerprint("leaf.pem", "sha1")));
    await expectError(
      prepareSigningKey({ source: "pem", privateKeyPem: fx.read("rsa-enc.pem"), passphrase: "" }, OB_UK),
      "passphrase_required",
      "passphrase",
    );
    await expectError(
      prepareSigningKey({ source: "pem", privateKeyPem: fx.read("rsa-enc.pem"), passphrase: "nope" }, OB_UK),
      "wrong_passphrase",
      "passphrase",
    );
  });

  it("warns about an incomplete chain, a missing digitalSignature usage, a self-signed certificate and validity", async () => {
    const leafOnly = await prepareSigningKey(
      { source: "pem", privateKeyPem: fx.read("rsa.pem"), certificatePem: fx.read("leaf.pem") },
      OB_UK,
    );
    expect(leafOnly.chainComplete).toBe(false);
    expect(leafOnly.warnings).toEqual([
      "the chain ends at C=GB, O=Test Directory, CN=Test Issuing CA, which is not included: relying parties need the directory's CA",
    ]);

    const ke = await prepareSigningKey(
      { source: "pem", privateKeyPem: fx.read("rsa.pem"), certificatePem: fx.read("leaf-ke.pem") + fx.read("int.pem") + fx.read("ca.pem") },
      OB_UK,
    );
    expect(ke.warnings).toEqual([
      "the certificate's key usage (keyEncipherment) does not include digitalSignature: relying parties that check it will refuse signatures",
    ]);

    const self = await prepareSigningKey(
      { source: "pem", privateKeyPem: fx.read("p256-sec1.pem"), certificatePem: fx.read("self-p256.pem") },
      ALL,
    );
    expect(self.alg).toBe("ES256");
    expect(self.certificate?.selfSigned).toBe(true);
    expect(self.chainComplete).toBe(true);
    expect(self.warnings).toEqual([
      "the certificate is self-signed: relying parties that validate certificates will not trust it unless they pin it",
    ]);

    const notAfter = new Date(certificateDetails(fx.der("leaf.pem")).notAfter);
    const soon = await prepareSigningKey(
      { source: "pem", privateKeyPem: fx.read("rsa.pem"), certificatePem: chainInOrder() },
      { ...OB_UK, now: new Date(notAfter.getTime() - 10 * 86_400_000) },
    );
    expect(soon.warnings).toEqual([`the certificate expires in 10 days, on ${notAfter.toISOString()}`]);
    const expired = await prepareSigningKey(
      { source: "pem", privateKeyPem: fx.read("rsa.pem"), certificatePem: chainInOrder() },
      { ...OB_UK, now: new Date(notAfter.getTime() + 86_400_000) },
    );
    expect(expired.warnings).toEqual([`the certificate expired on ${notAfter.toISOString()}`]);
  });

  it("refuses every broken form with its code and field", async () => {
    const key = fx.read("rsa.pem");
    const leaf = fx.read("leaf.pem");
    const cases: [PrepareSigningKeyInput, KeyInputErrorCode, KeyInputField][] = [
      [{ source: "pem", privateKeyPem: leaf }, "wrong_block_type", "privateKeyPem"],
      [{ source: "pem", privateKeyPem: fx.read("rsa-pub.pem") }, "public_key_given", "privateKeyPem"],
      [{ source: "pem", privateKeyPem: key, certificatePem: key }, "wrong_block_type", "certificatePem"],
      [{ source: "pem", privateKeyPem: fx.read("rsa-other.pem"), certificatePem: leaf }, "key_certificate_mismatch", "certificatePem"],
      [{ source: "pem", privateKeyPem: key, certificatePem: leaf + fx.read("ca.pem") }, "chain_broken", "certificatePem"],
      [{ source: "pem", privateKeyPem: key, certificatePem: leaf.slice(0, 300) }, "truncated_block", "certificatePem"],
      [{ source: "pem", privateKeyPem: key.slice(0, 300) }, "truncated_block", "privateKeyPem"],
      [{ source: "pem", privateKeyPem: "" }, "no_pem_block", "privateKeyPem"],
      [{ source: "pem", privateKeyPem: fx.read("rsa1024.pem") }, "weak_key", "privateKeyPem"],
      [{ source: "pem", privateKeyPem: fx.read("p521.pem") }, "unsupported_curve", "privateKeyPem"],
    ];
    for (const [input, code, field] of cases) {
      await expectError(prepareSigningKey(input, ALL), code, field);
    }
  });
});

describe("prepareSigningKey from JWK", () => {
  it("keeps the JWK's kid and alg", async () => {
    const jwk = { ...generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey.export({ format: "jwk" }), kid: "idp-key-7", alg: "ES384" };
    const prepared = await prepareSigningKey({ source: "jwk", jwk: JSON.stringify(jwk) }, ALL);
    expect(prepared).toMatchObject({ kid: "idp-key-7", kidStrategy: "given", alg: "ES384" });
    expect(prepared.publicJwk).toEqual({ kty: "EC", kid: "idp-key-7", use: "sig", alg: "ES384", crv: "P-384", x: jwk.x, y: jwk.y });
    const thumb = await prepareSigningKey({ source: "jwk", jwk, kidStrategy: "thumbprint" }, ALL);
    expect(thumb.kid).toBe(await jwkThumbprint(jwk));
  });

  it("attaches a certificate to a JWK", async () => {
    const jwk = parsePrivateKey(fx.read("rsa.pem")).export({ format: "jwk" });
    const prepared = await prepareSigningKey({ source: "jwk", jwk, certificatePem: fx.read("leaf.pem") }, OB_UK);
    expect(prepared.kid).toBe(hexToBase64url(fx.fingerprint("leaf.pem", "sha1")));
    expect(prepared.publicJwk.x5c).toEqual([fx.base64Der("leaf.pem")]);
  });

  it("refuses bad JWKs with field jwk", async () => {
    const rsa = parsePrivateKey(fx.read("rsa.pem")).export({ format: "jwk" });
    await expectError(prepareSigningKey({ source: "jwk", jwk: { kty: "oct", k: "AAAA" } }, ALL), "unsupported_key_type", "jwk");
    await expectError(prepareSigningKey({ source: "jwk", jwk: { kty: "RSA", n: rsa.n, e: rsa.e } }, ALL), "jwk_not_private", "jwk");
    await expectError(prepareSigningKey({ source: "jwk", jwk: "[]" }, ALL), "bad_jwk", "jwk");
    await expectError(prepareSigningKey({ source: "jwk", jwk: { ...rsa, alg: "RS256" } }, OB_UK), "alg_not_allowed", "jwk");
    const p521 = parsePrivateKey(fx.read("p521.pem")).export({ format: "jwk" });
    await expectError(prepareSigningKey({ source: "jwk", jwk: p521 }, ALL), "unsupported_curve", "jwk");
  });
});

describe("prepareSigningKey generate", () => {
  it("generates a key for the first allowed alg, or the one asked for", async () => {
    const ps = await prepareSigningKey({ source: "generate" }, OB_UK);
    expect(ps).toMatchObject({ alg: "PS256", kidStrategy: "thumbprint", keyDescription: { kty: "RSA", bits: 2048 }, warnings: [] });
    expect(ps.kid).toBe(await jwkThumbprint(ps.publicJwk));
    const ed = await prepareSigningKey({ source: "generate", alg: "EdDSA", kid: "ed-1" }, ALL);
    expect(ed).toMatchObject({ alg: "EdDSA", kid: "ed-1", kidStrategy: "given", publicJwk: { kty: "OKP", crv: "Ed25519" } });
    await expectError(prepareSigningKey({ source: "generate", alg: "ES256" }, OB_UK), "alg_not_allowed", "alg");
    await expectError(prepareSigningKey({ source: "generate", alg: "ES256", kid: "a b" }, ALL), "bad_kid", "kid");
  });
});

describe("attachCertificate", () => {
  it("returns the certificate parts of a key record", async () => {
    const key = parsePrivateKey(fx.read("rsa.pem"));
    const attached = await attachCertificate({ privateKey: key, certificatePem: fx.read("int.pem") + fx.read("leaf.pem"), now: NOW });
    const prepared = await prepareSigningKey(
      { source: "pem", privateKeyPem: fx.read("rsa.pem"), certificatePem: fx.read("leaf.pem") + fx.read("int.pem") },
      OB_UK,
    );
    expect(attached.certificateChainPem).toBe(prepared.certificateChainPem);
    expect(attached.certificate).toEqual(prepared.certificate);
    expect(attached.chainComplete).toBe(false);
    expect(attached.warnings).toEqual(prepared.warnings);
    expect(attached.jwkMembers).toEqual({
      x5c: prepared.publicJwk.x5c,
      x5t: prepared.publicJwk.x5t,
      "x5t#S256": prepared.publicJwk["x5t#S256"],
    });
  });

  it("refuses a certificate of another key", async () => {
    const other = parsePrivateKey(fx.read("rsa-other.pem"));
    await expectError(attachCertificate({ privateKey: other, certificatePem: fx.read("leaf.pem") }), "key_certificate_mismatch", "certificatePem");
  });
});

describe("prepareSigningKey never publishes private members (property)", () => {
  // Pre-generated pool: fast-check picks keys, it never makes them.
  const pool: KeyObject[] = [
    generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
    generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey,
    generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey,
    generateKeyPairSync("ed25519").privateKey,
  ];
  const encoded = pool.map((key) => ({
    key,
    pkcs8: key.export({ type: "pkcs8", format: "pem" }).toString(),
    encrypted: key.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pool-pass" }).toString(),
    jwk: key.export({ format: "jwk" }),
  }));

  it("for random keys, sources and options", async () => {
    // The fixture RSA key joins the pool with its certificate chain.
    const fixtureKey = parsePrivateKey(fx.read("rsa.pem"));
    const withChain = {
      key: fixtureKey,
      pkcs8: fx.read("rsa-pkcs1.pem"),
      encrypted: fx.read("rsa-enc.pem"),
      jwk: fixtureKey.export({ format: "jwk" }),
    };
    const entries = [...encoded, withChain];
    const passphraseOf = (entry: (typeof entries)[number]) => (entry === withChain ? PASSPHRASE : "pool-pass");

    const arbitraryCase = fc.record({
      entry: fc.integer({ min: 0, max: entries.length - 1 }),
      source: fc.constantFrom("pem", "pem-encrypted", "jwk", "jwk-text", "generate"),
      // Other allowed algs, around the one that suits the key (inserted at `at`).
      others: fc.subarray([...SIGNING_ALGS]),
      at: fc.nat(),
      kid: fc.option(fc.stringMatching(/^[\x21-\x7e]{1,40}$/)),
      strategy: fc.constantFrom(undefined, "thumbprint", "x5t", "x5t#S256"),
      withCertificate: fc.boolean(),
      generateAlg: fc.constantFrom<SigningAlg>("ES256", "ES384", "EdDSA"),
    });

    await fc.assert(
      fc.asyncProperty(arbitraryCase, async (c) => {
        const entry = entries[c.entry]!;
        const certificatePem = entry === withChain && c.withCertificate ? chainInOrder() : undefined;
        const kid = c.kid ?? undefined;
        const suitable = c.source === "generate" ? c.generateAlg : algsForKey(entry.key)[c.at % 2] ?? algsForKey(entry.key)[0]!;
        const at = c.at % (c.others.length + 1);
        const allowed = [...new Set([...c.others.slice(0, at), suitable, ...c.others.slice(at)])];
        // Certificate strategies only when there is a certificate.
        const strategy = kid ? "given" : certificatePem ? c.strategy : c.strategy === undefined ? undefined : "thumbprint";
        let input: PrepareSigningKeyInput;
        let key = entry.key;
        if (c.source === "generate") {
          input = { source: "generate", alg: c.generateAlg, kid };
        } else {
          const common = { certificatePem, kid, kidStrategy: strategy } as const;
          input =
            c.source === "pem"
              ? { source: "pem", privateKeyPem: entry.pkcs8, ...common }
              : c.source === "pem-encrypted"
                ? { source: "pem", privateKeyPem: entry.encrypted, passphrase: passphraseOf(entry), ...common }
                : { source: "jwk", jwk: c.source === "jwk" ? entry.jwk : JSON.stringify(entry.jwk), ...common };
        }
        const prepared = await prepareSigningKey(input, { allowedAlgs: allowed, now: NOW });
        if (c.source === "generate") key = parsePrivateKey(prepared.privateKeyPkcs8Pem);
        else expect(parsePrivateKey(prepared.privateKeyPkcs8Pem).equals(key)).toBe(true);
        assertPublicOnly(prepared, key);
        expect(allowed).toContain(prepared.alg);
        expect(algsForKey(key)).toContain(prepared.alg);
        expect(prepared.publicJwk.kid).toBe(prepared.kid);
        if (kid) expect(prepared.kid).toBe(kid);
        expect(prepared.publicJwk.x5c !== undefined).toBe(certificatePem !== undefined && c.source !== "generate");
      }),
      { numRuns: 30 },
    );
  });
});
