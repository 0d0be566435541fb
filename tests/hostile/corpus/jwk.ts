/**
 * JWKs of every wrong shape, as a JWK Set member: built from real public keys
 * so that each case has exactly one fault, and the answer must name it.
 */
import { generateKeyPairSync } from "node:crypto";
import { armour, buildCertificate, fakeModulus } from "./certificates";

export interface JwkCase {
  name: string;
  jwk: Record<string, unknown>;
  /** What the refusal must say. */
  says: RegExp;
}

type Jwk = Record<string, unknown>;
const exportJwk = (key: ReturnType<typeof generateKeyPairSync>["publicKey"]) => key.export({ format: "jwk" }) as Jwk;

const rsaPair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ecPair = generateKeyPairSync("ec", { namedCurve: "P-256" });
const rsaPrivate = rsaPair.privateKey.export({ format: "jwk" }) as Jwk;
export const RSA: Jwk = { ...exportJwk(rsaPair.publicKey), kid: "rsa-ok" };
export const EC: Jwk = { ...exportJwk(ecPair.publicKey), kid: "ec-ok" };
const b64u = (b: Buffer) => b.toString("base64url");
const without = (jwk: Jwk, member: string) => Object.fromEntries(Object.entries(jwk).filter(([k]) => k !== member));

/** One wrong JWK per case; `kid` is set so answers can name it. */
export function jwkCases(): JwkCase[] {
  const otherCert = buildCertificate().toString("base64");
  const ownCert = buildCertificate({ subjectKey: ecPair.publicKey }).toString("base64");
  void ownCert;
  const cases: JwkCase[] = [
    { name: "kty is a number", jwk: { ...EC, kid: "k-num", kty: 2 }, says: /kty must be a string/ },
    { name: "kty is missing", jwk: { ...without(EC, "kty"), kid: "k-none" }, says: /kty must be a string .*got none/ },
    { name: "kty is unknown", jwk: { ...EC, kid: "k-unk", kty: "DSA" }, says: /kty "DSA" is not a public signature key type/ },
    { name: "an oct key", jwk: { kty: "oct", kid: "k-oct", k: "c2VjcmV0LXNlY3JldC1zZWNyZXQ" }, says: /is a symmetric key/ },
    { name: "n is an array", jwk: { ...RSA, kid: "n-arr", n: [RSA.n] }, says: /"n" must be a string \(base64url\); got an array/ },
    { name: "n is a number", jwk: { ...RSA, kid: "n-num", n: 12345 }, says: /"n" must be a string \(base64url\); got number/ },
    { name: "e is missing", jwk: { ...without(RSA, "e"), kid: "e-none" }, says: /is not a valid RSA public key/ },
    { name: "n is missing", jwk: { ...without(RSA, "n"), kid: "n-none" }, says: /is not a valid RSA public key/ },
    { name: "n is not base64url", jwk: { ...RSA, kid: "n-b64", n: "!!!not base64url!!!" }, says: /is not a valid RSA public key|RSA key of/ },
    { name: "y is missing", jwk: { ...without(EC, "y"), kid: "y-none" }, says: /is not a valid EC public key/ },
    { name: "x is not on the curve", jwk: { ...EC, kid: "x-off", x: b64u(Buffer.alloc(32, 7)) }, says: /is not a valid EC public key/ },
    { name: "crv is unknown", jwk: { ...EC, kid: "crv-unk", crv: "P-192" }, says: /crv "P-192" is not a signature curve for EC/ },
    { name: "crv secp256k1", jwk: { ...EC, kid: "crv-k1", crv: "secp256k1" }, says: /crv "secp256k1" is not a signature curve/ },
    { name: "crv is a number", jwk: { ...EC, kid: "crv-num", crv: 256 }, says: /"crv" must be a string/ },
    { name: "an X25519 key", jwk: { ...exportJwk(generateKeyPairSync("x25519").publicKey), kid: "x25519" }, says: /crv "X25519" is not a signature curve for OKP/ },
    { name: "a 1024-bit RSA key", jwk: { ...exportJwk(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey), kid: "rsa-1024" }, says: /RSA key of 1024 bits; keys of 2048 to 8192 bits are accepted/ },
    { name: "a 16384-bit modulus", jwk: { ...RSA, kid: "rsa-16k", n: b64u(fakeModulus(16384)) }, says: /"n" is 2731 characters long: larger than any accepted key/ },
    { name: "a 1 MB modulus", jwk: { ...RSA, kid: "rsa-1mb", n: b64u(fakeModulus(8 * 1024 * 1024)) }, says: /"n" is \d{7} characters long: larger than any accepted key|too large|larger than/ },
    { name: "kid is a number", jwk: { ...EC, kid: 42 }, says: /kid must be a non-empty string/ },
    { name: "kid is empty", jwk: { ...EC, kid: "" }, says: /kid must be a non-empty string/ },
    { name: "kid of 300 characters", jwk: { ...EC, kid: "k".repeat(300) }, says: /kid is 300 characters long; at most 256 are accepted/ },
    { name: "use enc", jwk: { ...EC, kid: "use-enc", use: "enc" }, says: /is an encryption key/ },
    { name: "use is unknown", jwk: { ...EC, kid: "use-x", use: "banana" }, says: /use must be "sig"; got "banana"/ },
    { name: "alg HS256 on a public key", jwk: { ...RSA, kid: "alg-hs", alg: "HS256" }, says: /alg "HS256" is not a signature algorithm/ },
    { name: "alg none", jwk: { ...EC, kid: "alg-none", alg: "none" }, says: /alg "none" is not a signature algorithm/ },
    { name: "alg of another key type", jwk: { ...RSA, kid: "alg-es", alg: "ES256" }, says: /alg "ES256" is not a signature algorithm for this RSA key/ },
    { name: "key_ops without verify", jwk: { ...EC, kid: "ops", key_ops: ["encrypt"] }, says: /key_ops must be an array that includes "verify"/ },
    { name: "x5c is a string", jwk: { ...EC, kid: "x5c-str", x5c: "garbage" }, says: /x5c must be an array of 1 to 10 base64 certificates/ },
    { name: "x5c holds a number", jwk: { ...EC, kid: "x5c-num", x5c: [1] }, says: /x5c must be an array/ },
    { name: "x5c is empty", jwk: { ...EC, kid: "x5c-empty", x5c: [] }, says: /x5c must be an array of 1 to 10/ },
    { name: "x5c is not base64", jwk: { ...EC, kid: "x5c-b64", x5c: ["not base64!"] }, says: /x5c\[0\] is not a base64 DER X\.509 certificate/ },
    { name: "x5c is base64 of junk", jwk: { ...EC, kid: "x5c-junk", x5c: [Buffer.from("junk junk junk").toString("base64")] }, says: /x5c\[0\] is not a base64 DER X\.509 certificate/ },
    { name: "x5c certifies another key", jwk: { ...EC, kid: "x5c-other", x5c: [otherCert] }, says: /x5c\[0\] certifies another key than the JWK's/ },
  ];
  for (const member of ["d", "p", "q", "dp", "dq", "qi"]) {
    cases.push({ name: `private member ${member}`, jwk: { ...RSA, kid: `priv-${member}`, [member]: rsaPrivate[member] }, says: new RegExp(`holds private members \\(${member}\\)`) });
  }
  cases.push({ name: "private member k on an RSA key", jwk: { ...RSA, kid: "priv-k", k: "c2VjcmV0" }, says: /holds private members \(k\)/ });
  cases.push({ name: "private member oth", jwk: { ...RSA, kid: "priv-oth", oth: [] }, says: /holds private members \(oth\)/ });
  return cases;
}

/** A PEM of a certificate for the EC test key (for the "certificate pasted as a key" cases). */
export const EC_CERT_PEM = armour(buildCertificate({ subjectKey: ecPair.publicKey }));
