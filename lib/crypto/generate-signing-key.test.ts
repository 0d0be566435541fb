import { describe, expect, it } from "vitest";
import { generateSigningKey } from "./generate-signing-key";
import { algsForKey, checkKeyStrength, keyDescription, SIGNING_ALGS } from "./signing-algorithms";

describe("generateSigningKey", () => {
  it("makes a key suited to each algorithm", async () => {
    const expected = {
      PS256: { kty: "RSA", bits: 2048 },
      RS256: { kty: "RSA", bits: 2048 },
      ES256: { kty: "EC", crv: "P-256" },
      ES384: { kty: "EC", crv: "P-384" },
      EdDSA: { kty: "OKP", crv: "Ed25519" },
    };
    for (const alg of SIGNING_ALGS) {
      const key = await generateSigningKey(alg);
      expect(key.type).toBe("private");
      expect(keyDescription(key)).toEqual(expected[alg]);
      expect(algsForKey(key)).toContain(alg);
      expect(() => checkKeyStrength(key)).not.toThrow();
    }
  });

  it("uses e = 65537 and can make 3072-bit RSA keys", async () => {
    const key = await generateSigningKey("PS256", { rsaBits: 3072 });
    expect(key.asymmetricKeyDetails).toEqual({ modulusLength: 3072, publicExponent: 65537n });
    await expect(generateSigningKey("PS256", { rsaBits: 1024 as 2048 })).rejects.toThrow(RangeError);
  });
});
