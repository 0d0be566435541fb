import { X509Certificate } from "node:crypto";
import { AppError } from "@/lib/errors";
import { KeyInputError } from "@/lib/crypto/key-input-error";
import { noPemBlockError, splitPemBlocks } from "@/lib/crypto/pem-blocks";

const MAX_CERTIFICATES = 10;
import { certificateJwkMembers, publicKeyJwk } from "@/lib/crypto/public-jwk";
import { certificateProfileProblem } from "@/lib/crypto/certificate-profile";
import { onlyPublicMembers } from "@/lib/crypto/jwk-members";
import { publicJwkProblem } from "@/lib/jwks-fetch/public-jwk-problem";


function problem(path: string, message: string): AppError {
  return new AppError("validation_failed", `${path}: ${message}`, [{ path, message }]);
}

/**
 * An inline JWKS as verification keys (an IdP's, a directory's, a client's):
 * public signature keys only, each refused with the member at fault rather
 * than silently dropped — a private member, a symmetric key, an unknown key
 * type or curve, a member of the wrong type, an RSA key outside 2048–8192
 * bits, an alg that does not fit, a kid twice or over 256 characters, x5c
 * that is not the key's certificate.
 *
 * @example
 * inlineJwks({ keys: [{ kty: "EC", crv: "P-256", x: "…", y: "…", kid: "k1" }] }); // { keys: [{ kty, crv, x, y, kid }] }
 */
export function inlineJwks(jwks: { keys: Record<string, unknown>[] }, owner = "the IdP's"): { keys: Record<string, unknown>[] } {
  const kids = new Set<string>();
  const keys = jwks.keys.map((jwk, i) => {
    const name = typeof jwk.kid === "string" ? `key "${jwk.kid.slice(0, 64)}"` : `key ${i + 1}`;
    const found = publicJwkProblem(jwk, owner);
    if (found) {
      const message = /^(is|holds) /.test(found.message) ? `${name} ${found.message}` : `${name}: ${found.message}`;
      throw problem(`jwks.keys.${i}${found.member === "kid" ? ".kid" : ""}`, message);
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
    if (blocks.length === 0) throw noPemBlockError(certificatePem, "certificatePem", "a certificate (-----BEGIN CERTIFICATE-----)");
    if (blocks.length > MAX_CERTIFICATES) throw problem("certificatePem", `holds ${blocks.length} certificates; at most ${MAX_CERTIFICATES} are accepted`);
    const keys = blocks.map((block) => {
      if (block.label !== "CERTIFICATE") {
        const hint = /PRIVATE KEY$/.test(block.label) ? " — a private key must never be given here" : "";
        throw problem("certificatePem", `found a ${block.label} block where a certificate was expected (line ${block.line})${hint}`);
      }
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(block.der);
      } catch {
        throw problem("certificatePem", `the CERTIFICATE block at line ${block.line} is not a valid X.509 certificate`);
      }
      const refused = certificateProfileProblem(block.der);
      if (refused) throw problem("certificatePem", `the certificate at line ${block.line} ${refused}`);
      let members;
      try {
        members = { ...publicKeyJwk(cert.publicKey) };
      } catch {
        // Reading the key again here would throw again: name it from the certificate's algorithm, not the key.
        throw problem("certificatePem", `the certificate at line ${block.line} holds a key that cannot be read or cannot verify signatures here`);
      }
      const keyProblem = publicJwkProblem(members, "its");
      if (keyProblem) throw problem("certificatePem", `the certificate at line ${block.line}: its key ${keyProblem.message}`);
      const certificate = certificateJwkMembers([block.der]);
      return { ...members, kid: certificate.x5t, use: "sig", ...certificate };
    });
    return { keys };
  } catch (error) {
    if (error instanceof KeyInputError) throw problem(error.field, error.message.replace(/^certificatePem: /, ""));
    throw error;
  }
}
