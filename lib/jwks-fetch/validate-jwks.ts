/**
 * Turns a fetched JSON document into the signature keys it publishes.
 *
 * A private member anywhere refuses the whole set: an IdP that publishes its
 * private key has a compromised key, and quietly using the public half would
 * hide that from the admin. Keys that merely cannot verify signatures
 * (encryption keys, unknown types, broken members) are dropped with a
 * warning, as RFC 7517 §5 asks, so one odd key does not take the IdP down.
 */
import { createPublicKey, type JsonWebKey } from "node:crypto";
import { onlyPublicMembers, privateMembersOf } from "@/lib/crypto/jwk-members";
import { JwksFetchError } from "./jwks-fetch-error";
import { isPublicKeyJwsAlg, isSignatureKeyType, keyFitsAlg } from "./jws-algorithms";
import { publicJwkProblem } from "./public-jwk-problem";

/** A public signature key from a remote JWKS: public members only. */
export interface RemoteJwk {
  kty: "RSA" | "EC" | "OKP";
  kid?: string;
  use?: "sig";
  alg?: string;
  key_ops?: string[];
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
  x5c?: string[];
  x5t?: string;
  "x5t#S256"?: string;
  x5u?: string;
}

/** The usable keys of a JWKS and what was dropped, in words. */
export interface ValidatedJwks {
  keys: RemoteJwk[];
  warnings: string[];
}


const MIN_RSA_BITS = 2048;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function keyName(jwk: unknown, index: number): string {
  return isObject(jwk) && typeof jwk.kid === "string" ? `key "${jwk.kid}"` : `key #${index + 1}`;
}

/**
 * Validates a parsed JWKS document: an object with a `keys` array; no
 * private members in any key (refused, naming the key); keys that cannot
 * verify signatures or are malformed dropped and reported in `warnings`.
 * The keys returned carry public members only.
 *
 * @throws JwksFetchError `bad_jwks` (not a JWK Set) or `private_key_in_jwks`.
 * @example
 * const { keys, warnings } = validateJwks(JSON.parse(body), "https://idp.example/jwks");
 * // warnings: ['key "enc-1" is an encryption key (use "enc"); ignored']
 */
export function validateJwks(document: unknown, uri: string): ValidatedJwks {
  if (!isObject(document)) {
    throw new JwksFetchError("bad_jwks", `the JWKS at ${uri} is not a JWK Set (expected a JSON object with a "keys" array)`, uri);
  }
  const { keys } = document;
  if (!Array.isArray(keys)) {
    throw new JwksFetchError("bad_jwks", `the JWKS at ${uri} has no "keys" array`, uri);
  }
  keys.forEach((jwk: unknown, index) => {
    if (!isObject(jwk)) return;
    const found = privateMembersOf(jwk);
    if (found.length > 0) {
      throw new JwksFetchError(
        "private_key_in_jwks",
        `the JWKS at ${uri} publishes private key material (${found.join(", ")}) in ${keyName(jwk, index)}; the whole set is refused — the IdP must publish public keys only, and should treat that key as compromised`,
        uri,
      );
    }
  });
  const usable: RemoteJwk[] = [];
  const warnings: string[] = [];
  keys.forEach((jwk: unknown, index) => {
    const problem = unusableBecause(jwk);
    if (problem) warnings.push(`${keyName(jwk, index)} ${problem}; ignored`);
    else usable.push(publicMembers(jwk as Record<string, unknown>));
  });
  const seen = new Set<string>();
  for (const jwk of usable) {
    if (jwk.kid === undefined) continue;
    const id = `${jwk.kid}\u0000${jwk.alg ?? jwk.kty}`;
    if (seen.has(id)) warnings.push(`kid "${jwk.kid}" appears more than once for ${jwk.alg ?? jwk.kty}`);
    seen.add(id);
  }
  if (usable.length === 0) warnings.push(`the JWKS at ${uri} has no usable signature keys`);
  return { keys: usable, warnings };
}

/** Why a key cannot be used to verify signatures, or null when it can. */
function unusableBecause(jwk: unknown): string | null {
  if (!isObject(jwk)) return "is not a JSON object";
  const { kty, kid, use, alg, key_ops: keyOps, crv, x5c } = jwk;
  if (typeof kty !== "string") return 'has no "kty"';
  if (kid !== undefined && typeof kid !== "string") return 'has a "kid" that is not a string';
  if (use === "enc") return 'is an encryption key (use "enc")';
  if (use !== undefined && use !== "sig") return `has use ${JSON.stringify(use)}, not "sig"`;
  if (keyOps !== undefined && (!Array.isArray(keyOps) || !keyOps.includes("verify"))) return 'has key_ops without "verify"';
  if (kty !== "RSA" && kty !== "EC" && kty !== "OKP") return `has kty "${kty}", which cannot verify signatures here`;
  if (!isSignatureKeyType(jwk)) return `uses curve ${JSON.stringify(crv)}, which is not a signature curve`;
  if (alg !== undefined) {
    if (!isPublicKeyJwsAlg(alg)) return `has alg ${JSON.stringify(alg)}, which is not a public-key signature algorithm`;
    if (!keyFitsAlg(jwk, alg)) return `has alg ${alg}, which does not fit its ${describe(jwk)} key`;
  }
  if (x5c !== undefined && (!Array.isArray(x5c) || !x5c.every((c) => typeof c === "string"))) return 'has an "x5c" that is not an array of strings';
  try {
    const key = createPublicKey({ key: publicMembers(jwk) as JsonWebKey, format: "jwk" });
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (kty === "RSA" && bits !== undefined && bits < MIN_RSA_BITS) return `is a ${bits}-bit RSA key (at least ${MIN_RSA_BITS} bits are needed)`;
  } catch {
    return `is not a valid ${describe(jwk)} public key`;
  }
  // What an inline key would be refused for (an oversized modulus, a kid over
  // 256 characters, x5c that does not certify the key …) drops a served one.
  const found = publicJwkProblem(jwk, "the IdP's");
  if (found) return /^(is|holds) /.test(found.message) ? found.message : `is refused: ${found.message}`;
  return null;
}

function describe(jwk: Record<string, unknown>): string {
  return typeof jwk.crv === "string" ? `${String(jwk.kty)} ${jwk.crv}` : String(jwk.kty);
}

function publicMembers(jwk: Record<string, unknown>): RemoteJwk {
  return onlyPublicMembers(jwk) as unknown as RemoteJwk;
}
