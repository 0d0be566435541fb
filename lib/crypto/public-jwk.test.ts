import fc from "fast-check";
import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KeyInputError } from "./key-input-error";
import { publicJwk, publicKeyJwk, publicKeyObject, publicKeyPem } from "./public-jwk";
import { algsForKey } from "./signing-algorithms";
import { hexToBase64url, setUpOpensslFixtures } from "./test-openssl-fixtures";
import { parsePrivateKey } from "./parse-private-key";
import { parseCertificateChain } from "./parse-certificate-chain";

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

// A small pool, generated once: fast-check picks from it instead of making keys.
const POOL: KeyObject[] = [
  generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
  generateKeyPairSync("rsa", { modulusLength: 3072 }).privateKey,
  generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey,
  generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey,
  generateKeyPairSync("ed25519").privateKey,
];

const fx = setUpOpensslFixtures((f) => f.leaf());

describe("publicJwk", () => {
  it("publishes exactly the public members for each key type", () => {
    const [rsa, , p256, , ed] = POOL as [KeyObject, KeyObject, KeyObject, KeyObject, KeyObject];
    expect(Object.keys(publicJwk(rsa, { alg: "PS256", kid: "r" })).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
    expect(Object.keys(publicJwk(p256, { alg: "ES256", kid: "e" })).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
    expect(publicJwk(ed, { alg: "EdDSA", kid: "o" })).toEqual({
      kty: "OKP",
      kid: "o",
      use: "sig",
      alg: "EdDSA",
      crv: "Ed25519",
      x: ed.export({ format: "jwk" }).x,
    });
  });

  it("gives the same JWK for the private and the public key", () => {
    for (const key of POOL) {
      const alg = algsForKey(key)[0]!;
      expect(publicJwk(createPublicKey(key), { alg, kid: "k" })).toEqual(publicJwk(key, { alg, kid: "k" }));
      expect(publicKeyObject(publicKeyObject(key)).type).toBe("public");
    }
  });

  it("adds x5c, x5t and x5t#S256 that match openssl's", async () => {
    const key = parsePrivateKey(fx.read("rsa.pem"));
    const chain = await parseCertificateChain(fx.read("leaf.pem") + fx.read("int.pem") + fx.read("ca.pem"));
    const jwk = publicJwk(key, { alg: "PS256", kid: "k", certificates: chain.certificates });
    expect(jwk.x5c).toEqual([fx.base64Der("leaf.pem"), fx.base64Der("int.pem"), fx.base64Der("ca.pem")]);
    for (const entry of jwk.x5c ?? []) expect(entry).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(jwk.x5t).toBe(hexToBase64url(fx.fingerprint("leaf.pem", "sha1")));
    expect(jwk["x5t#S256"]).toBe(hexToBase64url(fx.fingerprint("leaf.pem", "sha256")));
  });

  it("refuses an alg the key cannot use", () => {
    expect(() => publicJwk(POOL[2]!, { alg: "PS256", kid: "k" })).toThrow(KeyInputError);
  });

  it("never contains a private member (property)", () => {
    const arbitraryInput = fc.record({
      keyIndex: fc.integer({ min: 0, max: POOL.length - 1 }),
      pickAlg: fc.nat(),
      kid: fc.string({ minLength: 1, maxLength: 64 }),
      certificates: fc.option(fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 3 })),
      asPublic: fc.boolean(),
    });
    fc.assert(
      fc.property(arbitraryInput, ({ keyIndex, pickAlg, kid, certificates, asPublic }) => {
        const key = POOL[keyIndex]!;
        const algs = algsForKey(key);
        const alg = algs[pickAlg % algs.length]!;
        const jwk = publicJwk(asPublic ? createPublicKey(key) : key, {
          alg,
          kid,
          certificates: certificates ?? undefined,
        });
        for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member);
        const secret = key.export({ format: "jwk" }).d;
        expect(typeof secret).toBe("string");
        expect(JSON.stringify(jwk)).not.toContain(secret);
        expect(jwk.use).toBe("sig");
        expect(jwk.alg).toBe(alg);
        expect(jwk.kid).toBe(kid);
        expect(jwk.x5c !== undefined).toBe(certificates !== null);
      }),
      { numRuns: 30 },
    );
  });
});

describe("publicKeyPem / publicKeyJwk", () => {
  it("exports SPKI PEM and the bare public members", () => {
    const [rsa] = POOL;
    expect(publicKeyPem(rsa!)).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    expect(Object.keys(publicKeyJwk(rsa!))).toEqual(["kty", "n", "e"]);
  });
});
