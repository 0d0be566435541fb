import { createPublicKey, X509Certificate, type JsonWebKey } from "node:crypto";
import { AppError } from "@/lib/errors";
import { KeyInputError } from "@/lib/crypto/key-input-error";
import { splitPemBlocks } from "@/lib/crypto/pem-blocks";
import { certificateJwkMembers, publicKeyJwk } from "@/lib/crypto/public-jwk";
import { onlyPublicMembers, privateMembersOf } from "@/lib/crypto/jwk-members";


function problem(path: string, message: string): AppError {
  return new AppError("validation_failed", `${path}: ${message}`, [{ path, message }]);
}

/**
 * An inline JWKS as the IdP's verification keys: public keys only (a private
 * member is refused, naming the key, rather than silently dropped), each one a
 * key node can import, no symmetric keys.
 */
export function inlineJwks(jwks: { keys: Record<string, unknown>[] }, owner = "the IdP's"): { keys: Record<string, unknown>[] } {
  const kids = new Set<string>();
  const keys = jwks.keys.map((jwk, i) => {
    const name = typeof jwk.kid === "string" ? `key "${jwk.kid}"` : `key ${i + 1}`;
    const priv = privateMembersOf(jwk);
    if (jwk.kty === "oct") throw problem(`jwks.keys.${i}`, `${name} is a symmetric key; an IdP's assertions must be verified with its public keys`);
    if (priv.length > 0) throw problem(`jwks.keys.${i}`, `${name} holds private members (${priv.join(", ")}); give ${owner} public keys only`);
    if (jwk.use === "enc") throw problem(`jwks.keys.${i}`, `${name} is an encryption key (use "enc"); assertions need signature keys`);
    try {
      createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
    } catch {
      throw problem(`jwks.keys.${i}`, `${name} is not a valid public JWK`);
    }
    if (typeof jwk.kid === "string") {
      if (kids.has(jwk.kid)) throw problem(`jwks.keys.${i}.kid`, `"${jwk.kid}" appears twice`);
      kids.add(jwk.kid);
    }
    return onlyPublicMembers(jwk);
  });
  return { keys };
}

/** One or more PEM certificates as a JWKS: each certificate's key, kid = its x5t, with x5c. */
export function certificatesJwks(certificatePem: string): { keys: Record<string, unknown>[] } {
  try {
    const blocks = splitPemBlocks(certificatePem, "certificatePem");
    if (blocks.length === 0) throw problem("certificatePem", "no certificate found (-----BEGIN CERTIFICATE-----)");
    const keys = blocks.map((block, i) => {
      if (block.label !== "CERTIFICATE") throw problem("certificatePem", `block ${i + 1} is a ${block.label}, not a CERTIFICATE`);
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(block.der);
      } catch {
        throw problem("certificatePem", `block ${i + 1} is not a readable X.509 certificate`);
      }
      const members = certificateJwkMembers([block.der]);
      return { ...publicKeyJwk(cert.publicKey), kid: members.x5t, use: "sig", ...members };
    });
    return { keys };
  } catch (error) {
    if (error instanceof KeyInputError) throw problem(error.field, error.message.replace(/^certificatePem: /, ""));
    throw error;
  }
}
