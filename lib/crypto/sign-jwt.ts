/**
 * JWT signing with a tenant's key (access tokens, later ID tokens), through
 * jose so that the header and the signature encoding are exactly RFC 7515's.
 */
import { SignJWT, type JWTPayload } from "jose";
import type { KeyObject } from "node:crypto";
import type { SigningAlg } from "./signing-algorithms";

/** What {@link signJwt} needs. */
export interface SignJwtInput {
  privateKey: KeyObject;
  alg: SigningAlg;
  /** Goes into the protected header so relying parties pick the key from the JWKS. */
  kid: string;
  claims: JWTPayload;
  /** e.g. "at+jwt" for RFC 9068 access tokens. */
  typ?: string;
}

/**
 * Signs `claims` as a compact JWS with `alg`, `kid` (and `typ` when given)
 * in the protected header. Claims are signed as given: set `iat`, `exp`,
 * `iss`, `aud` in `claims`.
 *
 * @example
 * const jwt = await signJwt({
 *   privateKey, alg: "PS256", kid,
 *   claims: { iss, sub: clientId, aud, iat: now, exp: now + 300, jti },
 *   typ: "at+jwt",
 * });
 */
export async function signJwt(input: SignJwtInput): Promise<string> {
  return new SignJWT(input.claims)
    .setProtectedHeader({ alg: input.alg, kid: input.kid, ...(input.typ ? { typ: input.typ } : {}) })
    .sign(input.privateKey);
}
