import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-event";
import { requireRole, type Actor } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { revokeKeySchema, type SigningKeyView } from "@/lib/keys/schemas";
import { keyForUpdate, keySummary, stateConflict } from "@/lib/keys/key-row";
import { bumpPublishVersion, publishNow, tenantForUpdate } from "@/lib/keys/tenant-scope";
import { toKeyView } from "@/lib/keys/key-view";

/**
 * Revokes a compromised key: it leaves the JWKS at once, its private part is
 * destroyed and it never signs again. Revoking the active key needs its
 * replacement to be active first (emergency replacement arrives with rotation).
 */
export async function revokeSigningKey(actor: Actor, slug: string, kid: string, input: unknown): Promise<SigningKeyView> {
  requireRole(actor, "operator");
  const data = parseInput(revokeKeySchema, input);
  const row = await db().$transaction(async (tx) => {
    const tenant = await tenantForUpdate(tx, slug);
    const key = await keyForUpdate(tx, tenant.id, kid);
    if (key.state === "revoked") return key;
    if (key.state === "active") throw stateConflict(key, "activate a replacement first, then revoke this key");
    const revoked = await tx.signingKey.update({
      where: { id: key.id },
      data: { state: "revoked", revokedAt: new Date(), revokeReason: data.reason, privateKeySealed: null },
    });
    await bumpPublishVersion(tx, tenant.id);
    await recordAudit(tx, actor, {
      action: "key.revoke",
      target: { type: "signing_key", id: kid },
      tenantSlug: slug,
      before: keySummary(key),
      after: { ...keySummary(revoked), reason: data.reason },
    });
    return revoked;
  });
  publishNow(slug);
  return toKeyView(row);
}
