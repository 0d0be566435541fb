import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KeyInputError } from "./key-input-error";
import { assertKeyMatchesCertificate, keyMatchesCertificate } from "./key-matches-certificate";
import { parsePrivateKey } from "./parse-private-key";
import { setUpOpensslFixtures } from "./test-openssl-fixtures";

const fx = setUpOpensslFixtures((f) => {
  f.leaf();
  f.rsaOther();
  f.selfSignedP256();
});

describe("keyMatchesCertificate", () => {
  it("matches the key the certificate was issued for, private or public", () => {
    const key = parsePrivateKey(fx.read("rsa.pem"));
    expect(keyMatchesCertificate(key, fx.der("leaf.pem"))).toBe(true);
    expect(keyMatchesCertificate(createPublicKey(key), fx.der("leaf.pem"))).toBe(true);
    expect(() => assertKeyMatchesCertificate(key, fx.der("leaf.pem"))).not.toThrow();
  });

  it("refuses another key of the same type, describing both public keys", () => {
    const other = parsePrivateKey(fx.read("rsa-other.pem"));
    expect(keyMatchesCertificate(other, fx.der("leaf.pem"))).toBe(false);
    try {
      assertKeyMatchesCertificate(other, fx.der("leaf.pem"));
      throw new Error("expected a mismatch");
    } catch (error) {
      expect(error).toBeInstanceOf(KeyInputError);
      const e = error as KeyInputError;
      expect(e.code).toBe("key_certificate_mismatch");
      expect(e.field).toBe("certificatePem");
      expect(e.message).toMatch(
        /^certificate and private key do not match: the certificate's public key \(RSA 2048, SHA-256 of SPKI ([0-9a-f]{2}:){7}[0-9a-f]{2}…\) is not the key's \(RSA 2048, SHA-256 of SPKI ([0-9a-f]{2}:){7}[0-9a-f]{2}…\)$/,
      );
    }
  });

  it("refuses a key of another type", () => {
    const ec = parsePrivateKey(fx.read("p256-pkcs8.pem"));
    expect(() => assertKeyMatchesCertificate(ec, fx.der("leaf.pem"))).toThrow(/\(RSA 2048, .*\(EC P-256, /);
  });
});
