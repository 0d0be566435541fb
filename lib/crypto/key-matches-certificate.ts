/**
 * Whether a private key belongs to a certificate: the SubjectPublicKeyInfo of
 * the key's public part must be the certificate's. Comparing the whole SPKI
 * (not just the modulus or point) also catches a key of the right size but
 * the wrong algorithm parameters.
 */
import "reflect-metadata";
import { X509Certificate } from "@peculiar/x509";
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { KeyInputError } from "./key-input-error";
import { publicKeyObject } from "./public-jwk";
import { describeKey } from "./signing-algorithms";

/**
 * Tells whether `key` (private or public) is the key certified by the
 * certificate `certificateDer`.
 *
 * @example
 * keyMatchesCertificate(privateKey, chain.certificates[0]); // true
 */
export function keyMatchesCertificate(key: KeyObject, certificateDer: Uint8Array): boolean {
  return spkiOfKey(key).equals(spkiOfCertificate(certificateDer));
}

/**
 * Throws unless `key` is the key certified by the certificate.
 *
 * @throws KeyInputError `key_certificate_mismatch` (field "certificatePem")
 *   describing both public keys by type, size or curve and a short SPKI
 *   SHA-256 fingerprint, so the admin can see which file is the odd one out.
 * @example
 * assertKeyMatchesCertificate(privateKey, chain.certificates[0]);
 * // "certificate and private key do not match: the certificate's public key
 * //  (RSA 2048, SHA-256 of SPKI 1f:9a:…) is not the key's (RSA 2048, SHA-256 of SPKI 77:0c:…)"
 */
export function assertKeyMatchesCertificate(key: KeyObject, certificateDer: Uint8Array): void {
  const keySpki = spkiOfKey(key);
  const certSpki = spkiOfCertificate(certificateDer);
  if (keySpki.equals(certSpki)) return;
  const certKey = createPublicKey({ key: certSpki, format: "der", type: "spki" });
  throw new KeyInputError(
    "key_certificate_mismatch",
    `certificate and private key do not match: the certificate's public key (${describeKey(certKey)}, SHA-256 of SPKI ${shortFingerprint(certSpki)}) is not the key's (${describeKey(key)}, SHA-256 of SPKI ${shortFingerprint(keySpki)})`,
    "certificatePem",
  );
}

function spkiOfKey(key: KeyObject): Buffer {
  return publicKeyObject(key).export({ type: "spki", format: "der" });
}

function spkiOfCertificate(der: Uint8Array): Buffer {
  const spki = Buffer.from(new X509Certificate(Buffer.from(der)).publicKey.rawData);
  // Re-encode through OpenSSL so that equivalent encodings (a compressed EC
  // point in the certificate) compare equal to what the key exports.
  return createPublicKey({ key: spki, format: "der", type: "spki" }).export({ type: "spki", format: "der" });
}

function shortFingerprint(spki: Buffer): string {
  const hex = createHash("sha256").update(spki).digest("hex").slice(0, 16);
  return `${(hex.match(/../g) ?? []).join(":")}…`;
}
