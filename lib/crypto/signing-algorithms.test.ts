import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KeyInputError, type KeyInputErrorCode, type KeyInputField } from "./key-input-error";
import { parsePrivateKey } from "./parse-private-key";
import {
  algsForKey,
  checkKeyStrength,
  chooseAlg,
  describeKey,
  isSigningAlg,
  keyDescription,
  SIGNING_ALGS,
} from "./signing-algorithms";
import { setUpOpensslFixtures } from "./test-openssl-fixtures";

const fx = setUpOpensslFixtures((f) => {
  f.rsa1024();
  f.p521();
  f.secp256k1();
  f.ed448();
  f.x25519();
  f.dh();
  f.dsa();
});

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const p256 = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey;
const ed = generateKeyPairSync("ed25519").privateKey;

function expectError(fn: () => unknown, code: KeyInputErrorCode, field: KeyInputField): KeyInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KeyInputError);
    const e = error as KeyInputError;
    expect({ code: e.code, field: e.field }).toEqual({ code, field });
    return e;
  }
  throw new Error(`expected KeyInputError ${code}`);
}

describe("keyDescription", () => {
  it("describes keys in JWK terms", () => {
    expect(keyDescription(rsa)).toEqual({ kty: "RSA", bits: 2048 });
    expect(keyDescription(p256)).toEqual({ kty: "EC", crv: "P-256" });
    expect(keyDescription(p384)).toEqual({ kty: "EC", crv: "P-384" });
    expect(keyDescription(ed)).toEqual({ kty: "OKP", crv: "Ed25519" });
    expect(describeKey(rsa)).toBe("RSA 2048");
    expect(describeKey(p256)).toBe("EC P-256");
  });
});

describe("checkKeyStrength", () => {
  it("accepts RSA 2048, P-256, P-384 and Ed25519", () => {
    for (const key of [rsa, p256, p384, ed]) expect(() => checkKeyStrength(key)).not.toThrow();
  });

  it("refuses RSA 1024 as weak", () => {
    const e = expectError(() => checkKeyStrength(parsePrivateKey(fx.read("rsa1024.pem"))), "weak_key", "privateKeyPem");
    expect(e.message).toBe("RSA keys must be at least 2048 bits; this one has 1024");
  });

  it("refuses P-521 and secp256k1, naming the curve", () => {
    const p521 = expectError(() => checkKeyStrength(parsePrivateKey(fx.read("p521.pem")), "jwk"), "unsupported_curve", "jwk");
    expect(p521.message).toContain("P-521");
    const k1 = expectError(() => checkKeyStrength(parsePrivateKey(fx.read("secp256k1.pem"))), "unsupported_curve", "privateKeyPem");
    expect(k1.message).toContain("secp256k1");
  });

  it("refuses Ed448, X25519, DH and DSA as unsupported key types", () => {
    expectError(() => checkKeyStrength(parsePrivateKey(fx.read("ed448.pem"))), "unsupported_key_type", "privateKeyPem");
    const x = expectError(() => checkKeyStrength(parsePrivateKey(fx.read("x25519.pem"))), "unsupported_key_type", "privateKeyPem");
    expect(x.message).toMatch(/cannot sign/);
    expectError(() => checkKeyStrength(parsePrivateKey(fx.read("dh.pem"))), "unsupported_key_type", "privateKeyPem");
    const dsa = expectError(() => checkKeyStrength(parsePrivateKey(fx.read("dsa.pem"))), "unsupported_key_type", "privateKeyPem");
    expect(dsa.message).toContain("DSA 1024");
  });
});

describe("algsForKey / chooseAlg", () => {
  it("lists the algorithms each key can use", () => {
    expect(algsForKey(rsa)).toEqual(["PS256", "RS256"]);
    expect(algsForKey(p256)).toEqual(["ES256"]);
    expect(algsForKey(p384)).toEqual(["ES384"]);
    expect(algsForKey(ed)).toEqual(["EdDSA"]);
    expect(isSigningAlg("PS256")).toBe(true);
    expect(isSigningAlg("HS256")).toBe(false);
  });

  it("gives an RSA key PS256 on an Open Banking UK tenant", () => {
    expect(chooseAlg(rsa, { allowed: ["PS256"] })).toBe("PS256");
    expect(chooseAlg(rsa, { allowed: ["ES256", "RS256", "PS256"] })).toBe("RS256");
    expect(chooseAlg(p384, { allowed: SIGNING_ALGS })).toBe("ES384");
  });

  it("honours a requested alg that suits the key and is allowed", () => {
    expect(chooseAlg(rsa, { requested: "RS256", allowed: SIGNING_ALGS })).toBe("RS256");
    expect(chooseAlg(ed, { requested: "EdDSA", allowed: SIGNING_ALGS })).toBe("EdDSA");
  });

  it("refuses a requested alg that does not suit the key, naming the key type", () => {
    const e = expectError(() => chooseAlg(rsa, { requested: "ES256", allowed: SIGNING_ALGS }), "alg_mismatch", "alg");
    expect(e.message).toContain("RSA 2048");
    expect(e.message).toContain("PS256, RS256");
  });

  it("refuses a requested alg the tenant does not allow, naming the allowed list", () => {
    const e = expectError(() => chooseAlg(rsa, { requested: "RS256", allowed: ["PS256"] }), "alg_not_allowed", "alg");
    expect(e.message).toContain("allowed: PS256");
    expectError(() => chooseAlg(rsa, { requested: "HS256", allowed: SIGNING_ALGS }), "alg_not_allowed", "alg");
    expectError(() => chooseAlg(rsa, { requested: "none", allowed: SIGNING_ALGS, field: "jwk" }), "alg_not_allowed", "jwk");
  });

  it("refuses a key no allowed alg suits", () => {
    const e = expectError(() => chooseAlg(p256, { allowed: ["PS256"], field: "privateKeyPem" }), "alg_not_allowed", "privateKeyPem");
    expect(e.message).toBe("this key (EC P-256) can sign with ES256, but the tenant allows only PS256");
  });
});

