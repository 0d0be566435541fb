import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-event";
import { requireRole, type Actor } from "@/lib/auth/roles";
import { keyForUpdate, keySummary, stateConflict } from "@/lib/keys/key-row";
import { bumpPublishVersion, publishNow, tenantForUpdate } from "@/lib/keys/tenant-scope";
import { toKeyView } from "@/lib/keys/key-view";
import type { SigningKeyView } from "@/lib/keys/schemas";

/**
 * Removes a staged or retired key: it leaves the JWKS and its private part is
 * destroyed; the record stays for the audit trail. The active key cannot be
 * removed.
 */
export async function removeSigningKey(actor: Actor, slug: string, kid: string): Promise<SigningKeyView> {
  requireRole(actor, "operator");
  const row = await db().$transaction(async (tx) => {
    const tenant = await tenantForUpdate(tx, slug);
    const key = await keyForUpdate(tx, tenant.id, kid);
    if (key.state === "removed") return key;
    if (key.state === "active") throw stateConflict(key, "activate another key first; the active key cannot be removed");
    if (key.state === "revoked") throw stateConflict(key, "it is already gone from the JWKS");
    const removed = await tx.signingKey.update({
      where: { id: key.id },
      data: { state: "removed", removedAt: new Date(), privateKeySealed: null },
    });
    await bumpPublishVersion(tx, tenant.id);
    await recordAudit(tx, actor, { action: "key.remove", target: { type: "signing_key", id: kid }, tenantSlug: slug, before: keySummary(key), after: keySummary(removed) });
    return removed;
  });
  publishNow(slug);
  return toKeyView(row);
}
