import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KeyInputError, type KeyInputErrorCode, type KeyInputField } from "./key-input-error";
import { parsePrivateJwk, parsePrivateKey, readJwkObject } from "./parse-private-key";
import { PASSPHRASE, setUpOpensslFixtures } from "./test-openssl-fixtures";

const fx = setUpOpensslFixtures((f) => {
  f.rsaPkcs1();
  f.rsaEncrypted();
  f.rsaLegacyEncrypted();
  f.rsaPublic();
  f.rsaPublicPkcs1();
  f.p256Sec1();
  f.p256Pkcs8();
  f.p384();
  f.ed25519();
  f.leaf();
});

function spki(key: KeyObject): string {
  return createPublicKey(key).export({ type: "spki", format: "der" }).toString("base64");
}

function expectError(fn: () => unknown, code: KeyInputErrorCode, field: KeyInputField): KeyInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KeyInputError);
    const e = error as KeyInputError;
    expect({ code: e.code, field: e.field }).toEqual({ code, field });
    // Never any key material or passphrase in a message.
    expect(e.message).not.toContain(PASSPHRASE);
    expect(e.message).not.toMatch(/[A-Za-z0-9+/]{40,}/);
    return e;
  }
  throw new Error(`expected KeyInputError ${code}`);
}

describe("parsePrivateKey", () => {
  it("reads PKCS#8, PKCS#1, encrypted PKCS#8 and legacy encrypted PKCS#1 of the same RSA key", () => {
    const reference = parsePrivateKey(fx.read("rsa.pem"));
    expect(reference.type).toBe("private");
    expect(reference.asymmetricKeyType).toBe("rsa");
    expect(reference.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const forms = [
      parsePrivateKey(fx.read("rsa-pkcs1.pem")),
      parsePrivateKey(fx.read("rsa-enc.pem"), PASSPHRASE),
      parsePrivateKey(fx.read("rsa-legacy.pem"), PASSPHRASE),
    ];
    for (const key of forms) expect(spki(key)).toBe(spki(reference));
    expect(fx.read("rsa-pkcs1.pem")).toContain("BEGIN RSA PRIVATE KEY");
    expect(fx.read("rsa-legacy.pem")).toContain("Proc-Type: 4,ENCRYPTED");
  });

  it("reads SEC1 (with or without EC PARAMETERS) and PKCS#8 EC keys, P-384 and Ed25519", () => {
    const withParams = parsePrivateKey(fx.read("p256-params.pem"));
    expect(fx.read("p256-params.pem")).toContain("BEGIN EC PARAMETERS");
    expect(withParams.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(spki(parsePrivateKey(fx.read("p256-sec1.pem")))).toBe(spki(withParams));
    expect(spki(parsePrivateKey(fx.read("p256-pkcs8.pem")))).toBe(spki(withParams));
    expect(parsePrivateKey(fx.read("p384.pem")).asymmetricKeyDetails?.namedCurve).toBe("secp384r1");
    expect(parsePrivateKey(fx.read("ed25519.pem")).asymmetricKeyType).toBe("ed25519");
  });

  it("accepts CRLF endings and text around the key; ignores a passphrase for an unencrypted key", () => {
    const text = `Bag Attributes\r\n    friendlyName: signing\r\nKey Attributes: <No Attributes>\r\n${fx.read("rsa.pem").replace(/\n/g, "\r\n")}\r\n\r\n`;
    expect(spki(parsePrivateKey(text, "ignored"))).toBe(spki(parsePrivateKey(fx.read("rsa.pem"))));
  });

  it("asks for the passphrase of an encrypted key", () => {
    const e = expectError(() => parsePrivateKey(fx.read("rsa-enc.pem")), "passphrase_required", "passphrase");
    expect(e.message).toBe("passphrase: the private key is encrypted (ENCRYPTED PRIVATE KEY); enter its passphrase");
    expectError(() => parsePrivateKey(fx.read("rsa-legacy.pem"), ""), "passphrase_required", "passphrase");
  });

  it("refuses a wrong passphrase", () => {
    const e = expectError(() => parsePrivateKey(fx.read("rsa-enc.pem"), "wrong"), "wrong_passphrase", "passphrase");
    expect(e.message).toBe("passphrase: the passphrase does not decrypt this key");
    expectError(() => parsePrivateKey(fx.read("rsa-legacy.pem"), `${PASSPHRASE}!`), "wrong_passphrase", "passphrase");
  });

  it("says 'wrong passphrase' also when a wrong one happens to pass the padding check (about 1 in 256)", () => {
    const pem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "right" }).toString();
    // 1200 tries: the odds that none of them decrypts to garbage are below 1 in 100.
    const codes = new Set<string>();
    for (let i = 0; i < 1200; i++) {
      try {
        parsePrivateKey(pem, `wrong-${i}`);
      } catch (error) {
        codes.add((error as KeyInputError).code);
      }
    }
    expect([...codes]).toEqual(["wrong_passphrase"]);
  });

  it("refuses public keys", () => {
    const e = expectError(() => parsePrivateKey(fx.read("rsa-pub.pem")), "public_key_given", "privateKeyPem");
    expect(e.message).toMatch(/^privateKeyPem: found a PUBLIC KEY where a private key was expected/);
    expectError(() => parsePrivateKey(fx.read("rsa-pub1.pem")), "public_key_given", "privateKeyPem");
  });

  it("refuses a certificate in the key field", () => {
    const e = expectError(() => parsePrivateKey(fx.read("leaf.pem")), "wrong_block_type", "privateKeyPem");
    expect(e.message).toMatch(/^privateKeyPem: found a CERTIFICATE block where a private key was expected/);
    // Also when the certificate comes along with the key.
    expectError(() => parsePrivateKey(fx.read("leaf.pem") + fx.read("rsa.pem")), "wrong_block_type", "privateKeyPem");
  });

  it("refuses several private keys, naming the count", () => {
    const e = expectError(
      () => parsePrivateKey(fx.read("rsa.pem") + fx.read("p384.pem")),
      "multiple_private_keys",
      "privateKeyPem",
    );
    expect(e.message).toContain("found 2 private keys");
  });

  it("refuses text without a key, a truncated key and a block that is not a key", () => {
    expectError(() => parsePrivateKey("just some text"), "no_pem_block", "privateKeyPem");
    const truncated = fx.read("rsa.pem").split("\n").slice(0, 10).join("\n");
    const e = expectError(() => parsePrivateKey(truncated), "truncated_block", "privateKeyPem");
    expect(e.message).toContain("line 1 (BEGIN PRIVATE KEY)");
    const garbage = "-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n";
    expectError(() => parsePrivateKey(garbage), "not_a_private_key", "privateKeyPem");
  });
});

describe("parsePrivateJwk", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
  const ed = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });

  it("reads RSA, EC and OKP private JWKs, as objects or JSON text", () => {
    expect(parsePrivateJwk(rsa).asymmetricKeyType).toBe("rsa");
    expect(parsePrivateJwk(JSON.stringify({ ...ec, kid: "k1", use: "sig" })).asymmetricKeyType).toBe("ec");
    expect(parsePrivateJwk({ keys: [ed] }).asymmetricKeyType).toBe("ed25519");
  });

  it("refuses non-objects and JWK sets with several keys", () => {
    for (const value of [null, 42, "not json", [rsa], true]) {
      expectError(() => parsePrivateJwk(value), "bad_jwk", "jwk");
    }
    expect(expectError(() => parsePrivateJwk({ keys: [rsa, ec] }), "bad_jwk", "jwk").message).toContain("2 keys");
  });

  it("refuses symmetric keys and unknown key types", () => {
    expect(expectError(() => parsePrivateJwk({ kty: "oct", k: "AAAA" }), "unsupported_key_type", "jwk").message).toMatch(
      /symmetric/,
    );
    expectError(() => parsePrivateJwk({ kty: "DSA", d: "AAAA" }), "unsupported_key_type", "jwk");
    expectError(() => parsePrivateJwk({ d: "AAAA" }), "bad_jwk", "jwk");
  });

  it("refuses public JWKs", () => {
    const { n, e, kty } = rsa;
    expectError(() => parsePrivateJwk({ kty, n, e }), "jwk_not_private", "jwk");
    const { d: _d, ...ecPublic } = ec;
    void _d;
    expectError(() => parsePrivateJwk(ecPublic), "jwk_not_private", "jwk");
  });

  it("refuses malformed members without echoing them", () => {
    const { p: _p, ...noP } = rsa;
    void _p;
    expect(expectError(() => parsePrivateJwk(noP), "bad_jwk", "jwk").message).toContain("missing: p");
    const e = expectError(() => parsePrivateJwk({ ...ec, d: "not base64url!" }), "bad_jwk", "jwk");
    expect(e.message).not.toContain("not base64url!");
    expectError(() => parsePrivateJwk({ ...ec, d: 42 }), "bad_jwk", "jwk");
    expectError(() => parsePrivateJwk({ ...ec, crv: "P-192" }), "bad_jwk", "jwk");
    expectError(() => parsePrivateJwk({ ...ec, use: "enc" }), "bad_jwk", "jwk");
    expectError(() => parsePrivateJwk({ ...ec, key_ops: ["verify"] }), "bad_jwk", "jwk");
  });

  it("refuses public members that do not belong to the private key", () => {
    const other = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
    expectError(() => parsePrivateJwk({ ...ed, x: other.x }), "bad_jwk", "jwk");
    const otherRsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "jwk" });
    expectError(() => parsePrivateJwk({ ...rsa, d: otherRsa.d, p: otherRsa.p }), "bad_jwk", "jwk");
  });

  it("readJwkObject exposes the public hints", () => {
    expect(readJwkObject(JSON.stringify({ ...ec, kid: "k1" })).kid).toBe("k1");
  });
});
