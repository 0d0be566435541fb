/**
 * The JWS algorithms a key from a remote JWKS can verify, and which keys
 * fit each one. HMAC and "none" are absent on purpose: a published JWKS
 * holds public keys, and an HMAC keyed with a public key is a classic
 * forgery.
 */

/** A public-key JWS algorithm (RFC 7518, RFC 8037, RFC 8812). */
export type PublicKeyJwsAlg =
  | "RS256"
  | "RS384"
  | "RS512"
  | "PS256"
  | "PS384"
  | "PS512"
  | "ES256"
  | "ES384"
  | "ES512"
  | "ES256K"
  | "EdDSA"
  | "Ed25519";

interface KeyFit {
  kty: "RSA" | "EC" | "OKP";
  /** Curves the algorithm works with; absent for RSA. */
  crv?: readonly string[];
}

const ALGORITHMS: Record<PublicKeyJwsAlg, KeyFit> = {
  RS256: { kty: "RSA" },
  RS384: { kty: "RSA" },
  RS512: { kty: "RSA" },
  PS256: { kty: "RSA" },
  PS384: { kty: "RSA" },
  PS512: { kty: "RSA" },
  ES256: { kty: "EC", crv: ["P-256"] },
  ES384: { kty: "EC", crv: ["P-384"] },
  ES512: { kty: "EC", crv: ["P-521"] },
  ES256K: { kty: "EC", crv: ["secp256k1"] },
  EdDSA: { kty: "OKP", crv: ["Ed25519", "Ed448"] },
  Ed25519: { kty: "OKP", crv: ["Ed25519"] },
};

/** Every public-key JWS algorithm, in a stable order (for strict enumerations). */
export const PUBLIC_KEY_JWS_ALGS = Object.keys(ALGORITHMS) as [PublicKeyJwsAlg, ...PublicKeyJwsAlg[]];

/**
 * Whether `alg` is a public-key signature algorithm a JWKS key can verify.
 *
 * @example
 * isPublicKeyJwsAlg("PS256"); // true
 * isPublicKeyJwsAlg("HS256"); // false
 */
export function isPublicKeyJwsAlg(alg: unknown): alg is PublicKeyJwsAlg {
  return typeof alg === "string" && Object.hasOwn(ALGORITHMS, alg);
}

/**
 * Whether a key's type (and curve) can verify signatures made with `alg`.
 * The key's own `alg` member is not looked at here.
 *
 * @example
 * keyFitsAlg({ kty: "EC", crv: "P-256" }, "ES256"); // true
 * keyFitsAlg({ kty: "EC", crv: "P-256" }, "ES384"); // false
 */
export function keyFitsAlg(key: { kty?: unknown; crv?: unknown }, alg: string): boolean {
  if (!isPublicKeyJwsAlg(alg)) return false;
  const fit = ALGORITHMS[alg];
  if (key.kty !== fit.kty) return false;
  return fit.crv === undefined || (typeof key.crv === "string" && fit.crv.includes(key.crv));
}

/**
 * Whether a key of this type and curve can make signatures at all
 * (X25519 and X448 are key-agreement curves).
 *
 * @example
 * isSignatureKeyType({ kty: "OKP", crv: "X25519" }); // false
 */
export function isSignatureKeyType(key: { kty?: unknown; crv?: unknown }): boolean {
  return (Object.keys(ALGORITHMS) as PublicKeyJwsAlg[]).some((alg) => keyFitsAlg(key, alg));
}
