import { X509Certificate } from "node:crypto";
import { certificateDetails } from "@/lib/crypto/certificate-details";
import type { SigningKeyRow } from "@/lib/keys/key-row";
import type { SigningKeyView } from "@/lib/keys/schemas";

export const EXPIRY_WARNING_DAYS = 30;

/** The leaf certificate's DER from a stored chain (leaf first), if any. */
export function leafDer(chainPem: string | null): Buffer | null {
  if (!chainPem) return null;
  return new X509Certificate(chainPem).raw;
}

export function expiryOf(row: Pick<SigningKeyRow, "certNotBefore" | "certNotAfter">, now = new Date(), warningDays = EXPIRY_WARNING_DAYS): SigningKeyView["expiry"] {
  if (!row.certNotAfter) return "none";
  if (row.certNotAfter <= now) return "expired";
  if (row.certNotBefore && row.certNotBefore > now) return "not-yet-valid";
  return row.certNotAfter.getTime() - now.getTime() < warningDays * 86_400_000 ? "soon" : "ok";
}

/** A key as the API shows it; `expiryWarningDays` is the tenant's rotation policy's window for "soon". */
export function toKeyView(row: SigningKeyRow, expiryWarningDays = EXPIRY_WARNING_DAYS): SigningKeyView {
  const der = leafDer(row.certificateChainPem);
  const details = der ? certificateDetails(der) : null;
  return {
    kid: row.kid,
    alg: row.alg as SigningKeyView["alg"],
    state: row.state as SigningKeyView["state"],
    source: row.source,
    kidStrategy: row.kidStrategy,
    appId: row.appId,
    publicJwk: JSON.parse(row.publicJwk) as SigningKeyView["publicJwk"],
    certificate: details
      ? {
          subject: details.subject,
          issuer: details.issuer,
          serialNumber: details.serialNumber,
          notBefore: details.notBefore,
          notAfter: details.notAfter,
          sans: details.sans,
          keyUsage: details.keyUsage,
          extendedKeyUsage: details.extendedKeyUsage,
          sha1Fingerprint: details.sha1Fingerprint,
          sha256Fingerprint: details.sha256Fingerprint,
          selfSigned: details.selfSigned,
        }
      : null,
    chainLength: row.certificateChainPem ? (row.certificateChainPem.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length : 0,
    expiry: expiryOf(row, new Date(), expiryWarningDays),
    hasCsr: row.csrPem !== null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    activatedAt: row.activatedAt?.toISOString() ?? null,
    retiredAt: row.retiredAt?.toISOString() ?? null,
    removedAt: row.removedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokeReason: row.revokeReason,
    activatesAt: row.activatesAt?.toISOString() ?? null,
    removesAt: row.removesAt?.toISOString() ?? null,
    forcedReason: row.forcedReason,
  };
}
