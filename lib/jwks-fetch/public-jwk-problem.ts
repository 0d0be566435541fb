/**
 * Why a JWK cannot serve as a public signature key, member by member: the
 * checks every key Keyward verifies with passes, whether an admin pasted it
 * (an IdP's, a directory's or a client's inline JWKS) or a jwks_uri served it.
 */
import { createPublicKey, X509Certificate, type JsonWebKey, type KeyObject } from "node:crypto";
import { onlyPublicMembers, privateMembersOf } from "@/lib/crypto/jwk-members";
import { isPublicKeyJwsAlg, keyFitsAlg } from "./jws-algorithms";

// RSA keys outside these sizes are refused: below, forgeable; above, a
// verification costs more than any honest signer needs (and a 1 MB modulus
// is a denial of service, not a key).
const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 8192;
const MAX_KID_LENGTH = 256;
const MAX_X5C = 10;
// base64url of an 8192-bit modulus is 1366 characters; anything longer is not worth importing.
const MAX_MEMBER_LENGTH = 1400;
const KEY_MEMBERS = ["n", "e", "crv", "x", "y"] as const;
const SIGNATURE_CURVES: Record<string, readonly string[]> = { EC: ["P-256", "P-384", "P-521"], OKP: ["Ed25519", "Ed448"] };

/**
 * Why one JWK cannot be used as a public signature key, or null; `member`
 * names the member at fault (null: the key as a whole). `owner` words the
 * advice ("the IdP's", "the client's").
 *
 * @example
 * publicJwkProblem({ kty: "RSA", n: "AQ", e: "AQAB" }, "the IdP's");
 * // { member: "n", message: "is an RSA key of 1 bits; keys of 2048 to 8192 bits are accepted" }
 */
export function publicJwkProblem(jwk: Record<string, unknown>, owner: string): { member: string | null; message: string } | null {
  const { kty, kid, use, alg } = jwk;
  if (kty === "oct") return { member: "kty", message: `is a symmetric key; ${owner === "the IdP's" ? "an IdP's assertions must be verified with its public keys" : "signatures must be verified with public keys"}` };
  const priv = privateMembersOf(jwk);
  if (priv.length > 0) return { member: null, message: `holds private members (${priv.join(", ")}); give ${owner} public keys only` };
  if (typeof kty !== "string") return { member: "kty", message: `kty must be a string ("RSA", "EC" or "OKP"); got ${kty === undefined ? "none" : JSON.stringify(kty)}` };
  if (kty !== "RSA" && kty !== "EC" && kty !== "OKP") return { member: "kty", message: `kty ${JSON.stringify(kty.slice(0, 40))} is not a public signature key type (RSA, EC, OKP)` };
  if (kid !== undefined && (typeof kid !== "string" || kid.length === 0)) return { member: "kid", message: "kid must be a non-empty string" };
  if (typeof kid === "string" && kid.length > MAX_KID_LENGTH) return { member: "kid", message: `kid is ${kid.length} characters long; at most ${MAX_KID_LENGTH} are accepted` };
  if (use === "enc") return { member: "use", message: 'is an encryption key (use "enc"); verifying signatures needs signature keys' };
  if (use !== undefined && use !== "sig") return { member: "use", message: `use must be "sig"; got ${JSON.stringify(use)}` };
  if (jwk.key_ops !== undefined && (!Array.isArray(jwk.key_ops) || !jwk.key_ops.includes("verify"))) return { member: "key_ops", message: 'key_ops must be an array that includes "verify"' };
  for (const member of KEY_MEMBERS) {
    const value = jwk[member];
    if (value === undefined) continue;
    if (typeof value !== "string") return { member, message: `"${member}" must be a string (base64url); got ${Array.isArray(value) ? "an array" : typeof value}` };
    if (value.length > MAX_MEMBER_LENGTH) return { member, message: `"${member}" is ${value.length} characters long: larger than any accepted key (RSA at most ${MAX_RSA_BITS} bits)` };
  }
  if (kty !== "RSA" && !(SIGNATURE_CURVES[kty] ?? []).includes(String(jwk.crv))) {
    return { member: "crv", message: `crv ${JSON.stringify(jwk.crv ?? null)} is not a signature curve for ${kty} (${(SIGNATURE_CURVES[kty] ?? []).join(", ")})` };
  }
  if (alg !== undefined && (!isPublicKeyJwsAlg(alg) || !keyFitsAlg(jwk, alg))) {
    return { member: "alg", message: `alg ${JSON.stringify(alg)} is not a signature algorithm for this ${kty} key` };
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: onlyPublicMembers(jwk) as JsonWebKey, format: "jwk" });
  } catch {
    return { member: null, message: `is not a valid ${kty} public key (a member is missing or malformed)` };
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (kty === "RSA" && (bits === undefined || bits < MIN_RSA_BITS || bits > MAX_RSA_BITS)) {
    return { member: "n", message: `is an RSA key of ${bits ?? "unknown"} bits; keys of ${MIN_RSA_BITS} to ${MAX_RSA_BITS} bits are accepted` };
  }
  const exponent = key.asymmetricKeyDetails?.publicExponent;
  if (kty === "RSA" && (exponent === undefined || exponent < 3n || exponent % 2n === 0n)) {
    return { member: "e", message: `is an RSA key with public exponent ${String(exponent)}; it must be odd and at least 3 (usually 65537)` };
  }
  if (jwk.x5c !== undefined) return x5cProblem(jwk.x5c, key);
  return null;
}

/** x5c (RFC 7517 §4.7): standard base64 DER certificates, the first certifying the JWK's own key. */
function x5cProblem(x5c: unknown, key: KeyObject): { member: string; message: string } | null {
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > MAX_X5C || !x5c.every((c) => typeof c === "string")) {
    return { member: "x5c", message: `x5c must be an array of 1 to ${MAX_X5C} base64 certificates` };
  }
  for (const [i, text] of (x5c as string[]).entries()) {
    const der = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, "base64") : null;
    let cert: X509Certificate | null = null;
    try {
      cert = der && der.toString("base64") === text ? new X509Certificate(der) : null;
    } catch {
      cert = null;
    }
    if (!cert) return { member: "x5c", message: `x5c[${i}] is not a base64 DER X.509 certificate` };
    if (i === 0 && !cert.publicKey.equals(key)) return { member: "x5c", message: "x5c[0] certifies another key than the JWK's" };
  }
  return null;
}

