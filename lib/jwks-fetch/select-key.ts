/**
 * Which key of a JWKS verifies a JWT, from its header's `kid` and `alg`.
 * jose's rules, with refusals that say what is wrong: a header alg that the
 * key's own `alg` contradicts is refused outright (an attacker choosing the
 * algorithm is how "RS256 key used as HS256 secret" forgeries start).
 */
import { isPublicKeyJwsAlg, keyFitsAlg } from "./jws-algorithms";
import type { RemoteJwk } from "./validate-jwks";

/** What a JWT's protected header says about its key. */
export interface KeySelector {
  kid?: string;
  alg?: string;
}

/** Stable reason a key was refused for a JWT header. */
export type KeyRefusedCode = "alg_not_supported" | "alg_mismatch" | "ambiguous_key";

/**
 * A key selection refused for the JWT's header (not a missing key: that is
 * `KeyNotFound`, which a refetch may cure; this one no refetch can).
 *
 * @example
 * try {
 *   await cache.getKey(uri, { kid: "k1", alg: "PS256" });
 * } catch (err) {
 *   if (err instanceof KeyRefused) console.log(err.code); // "alg_mismatch"
 * }
 */
export class KeyRefused extends Error {
  override readonly name = "KeyRefused";

  constructor(
    readonly code: KeyRefusedCode,
    message: string,
  ) {
    super(message);
  }
}

function describeKey(jwk: RemoteJwk): string {
  if (jwk.alg !== undefined) return `is for ${jwk.alg}`;
  return `is ${jwk.kty === "EC" ? "an" : "a"} ${jwk.kty}${jwk.crv ? ` ${jwk.crv}` : ""} key`;
}

/**
 * The keys that may verify a JWT with this header: by `kid` when it has
 * one, then by `alg` (the key's type and curve must fit it, and the key's
 * own `alg`, when present, must equal it). An empty answer is a miss.
 *
 * @throws KeyRefused `alg_not_supported` (HMAC, "none", unknown) or
 *   `alg_mismatch` (the kid's key cannot be used with the header's alg).
 * @example
 * selectKeys(keys, { kid: "2024-06", alg: "RS256" }); // [{ kty: "RSA", kid: "2024-06", … }]
 * selectKeys(keys, { kid: "unknown", alg: "RS256" }); // [] — a miss, worth a refetch
 */
export function selectKeys(keys: readonly RemoteJwk[], selector: KeySelector): RemoteJwk[] {
  const { kid, alg } = selector;
  if (alg !== undefined && !isPublicKeyJwsAlg(alg)) {
    throw new KeyRefused("alg_not_supported", `alg ${alg} cannot be verified with a public key from a JWKS`);
  }
  const byKid = kid === undefined ? keys : keys.filter((jwk) => jwk.kid === kid);
  if (alg === undefined) return [...byKid];
  const fitting = byKid.filter((jwk) => keyFitsAlg(jwk, alg) && (jwk.alg === undefined || jwk.alg === alg));
  const [first] = byKid;
  if (kid !== undefined && fitting.length === 0 && first) {
    throw new KeyRefused("alg_mismatch", `the JWT header says alg ${alg}, but the key "${kid}" ${describeKey(first)}`);
  }
  return fitting;
}
