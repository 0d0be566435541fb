import { createPrivateKey } from "node:crypto";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { unsealToString } from "@/lib/crypto/seal";
import { attachCertificate } from "@/lib/crypto/prepare-signing-key";
import { attachCertificateSchema, type SigningKeyView } from "@/lib/keys/schemas";
import { keyForUpdate, keySummary, signingKeyAad, stateConflict } from "@/lib/keys/key-row";
import { bumpPublishVersion, publishNow, tenantForUpdate } from "@/lib/keys/tenant-scope";
import { keyInputToAppError } from "@/lib/keys/add-key";
import { toKeyView } from "@/lib/keys/key-view";

/**
 * Attaches the certificate issued for a key (the answer to its CSR, or a
 * renewal). It must certify this key. The kid stays as published; the JWK
 * gains x5c, x5t and x5t#S256.
 */
export async function attachSigningKeyCertificate(actor: Actor, slug: string, kid: string, input: unknown): Promise<SigningKeyView> {
  requireTenantRole(actor, "operator", slug);
  const data = parseInput(attachCertificateSchema, input);
  const row = await db().$transaction(async (tx) => {
    const tenant = await tenantForUpdate(tx, slug);
    const key = await keyForUpdate(tx, tenant.id, kid);
    if (!key.privateKeySealed) throw stateConflict(key, "its private key is gone");
    const privateKey = createPrivateKey(unsealToString(key.privateKeySealed, env().kek, signingKeyAad(tenant.id, kid)));
    const attached = await attachCertificate({ privateKey, certificatePem: data.certificatePem }).catch((error: unknown) => {
      throw keyInputToAppError(error);
    });
    const jwk = { ...(JSON.parse(key.publicJwk) as Record<string, unknown>), ...attached.jwkMembers };
    const updated = await tx.signingKey.update({
      where: { id: key.id },
      data: {
        publicJwk: JSON.stringify(jwk),
        certificateChainPem: attached.certificateChainPem,
        certSubject: attached.certificate.subject,
        certIssuer: attached.certificate.issuer,
        certSerial: attached.certificate.serialNumber,
        certNotBefore: new Date(attached.certificate.notBefore),
        certNotAfter: new Date(attached.certificate.notAfter),
        certSha256: attached.certificate.sha256Fingerprint,
      },
    });
    await bumpPublishVersion(tx, tenant.id);
    await recordAudit(tx, actor, {
      action: "key.attach_certificate",
      target: { type: "signing_key", id: kid },
      tenantSlug: slug,
      before: keySummary(key),
      after: { ...keySummary(updated), certSha256: updated.certSha256, warnings: attached.warnings },
    });
    return updated;
  });
  publishNow(slug);
  return toKeyView(row);
}
