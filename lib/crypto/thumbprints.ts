/**
 * Key and certificate thumbprints as JOSE publishes them: the RFC 7638 JWK
 * thumbprint, and the certificate's `x5t` / `x5t#S256` (RFC 7515 §4.1.7–8).
 */
import { calculateJwkThumbprint, type JWK } from "jose";
import { createHash } from "node:crypto";

/**
 * The RFC 7638 thumbprint of a JWK: SHA-256 over its required public members,
 * base64url. Private members and extra members (kid, alg, x5c …) do not
 * change it, so a key keeps its thumbprint whatever is published with it.
 *
 * @example
 * await jwkThumbprint({ kty: "RSA", e: "AQAB", n: "0vx7ag…" });
 * // "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs" (RFC 7638 §3.1)
 */
export async function jwkThumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, "sha256");
}

/**
 * The `x5t` of a certificate: base64url SHA-1 of its DER. SHA-1 is what the
 * header parameter is defined as; it identifies, it does not protect.
 *
 * @example
 * x5t(chain.certificates[0]); // "Mf9C…" (27 characters)
 */
export function x5t(der: Uint8Array): string {
  return createHash("sha1").update(der).digest("base64url");
}

/**
 * The `x5t#S256` of a certificate: base64url SHA-256 of its DER.
 *
 * @example
 * x5tS256(chain.certificates[0]); // "3KwF…" (43 characters)
 */
export function x5tS256(der: Uint8Array): string {
  return createHash("sha256").update(der).digest("base64url");
}
