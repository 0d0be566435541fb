/**
 * The members of a JWK by what they reveal. Public JWKs are built by copying
 * the public members by name (oidc-provider's stripPrivate idea): nothing
 * unknown is ever passed on, rather than deleting what looks private.
 */

/** RFC 7517, 7518 and 8037 members that describe or carry only the public key. */
export const PUBLIC_JWK_MEMBERS = ["kty", "kid", "use", "alg", "key_ops", "n", "e", "crv", "x", "y", "x5c", "x5t", "x5t#S256", "x5u"] as const;

const PUBLIC: ReadonlySet<string> = new Set(PUBLIC_JWK_MEMBERS);

/** Every private member of RFC 7518 §6 and RFC 8037, plus ML-DSA's "priv". */
export const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k", "priv"] as const;

/**
 * A copy of the JWK with its public members only.
 *
 * @example
 * onlyPublicMembers({ kty: "EC", crv: "P-256", x: "…", y: "…", d: "…" }); // { kty, crv, x, y }
 */
export function onlyPublicMembers(jwk: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // In the JWK's own order, so a stored JWK filtered again serialises the same.
  for (const [member, value] of Object.entries(jwk)) if (value !== undefined && PUBLIC.has(member)) out[member] = value;
  return out;
}

/**
 * The private members a JWK holds (empty for a public key).
 *
 * @example
 * privateMembersOf({ kty: "oct", k: "c2VjcmV0" }); // ["k"]
 */
export function privateMembersOf(jwk: Record<string, unknown>): string[] {
  return PRIVATE_JWK_MEMBERS.filter((member) => member in jwk);
}
