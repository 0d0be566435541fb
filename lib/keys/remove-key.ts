import { db, type Tx } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { keyForUpdate, keySummary, stateConflict, toLifecycleKey, type SigningKeyRow } from "@/lib/keys/key-row";
import { bumpPublishVersion, publishNow, tenantForUpdate } from "@/lib/keys/tenant-scope";
import { toKeyView } from "@/lib/keys/key-view";
import type { SigningKeyView } from "@/lib/keys/schemas";
import { removalRefusal } from "@/lib/rotation/lifecycle";

/**
 * Removes a staged or retired key: it leaves the JWKS and its private part is
 * destroyed; the record stays for the audit trail. The active key cannot be
 * removed, nor a retired key that signed before its retention has passed.
 */
export async function removeSigningKey(actor: Actor, slug: string, kid: string): Promise<SigningKeyView> {
  requireTenantRole(actor, "operator", slug);
  const row = await db().$transaction(async (tx) => {
    const tenant = await tenantForUpdate(tx, slug);
    const key = await keyForUpdate(tx, tenant.id, kid);
    return removeInTx(tx, actor, { id: tenant.id, slug }, key);
  });
  publishNow(slug);
  return toKeyView(row);
}

/** The removal inside the caller's transaction (the scheduler's too). */
export async function removeInTx(tx: Tx, actor: Actor, tenant: { id: string; slug: string }, key: SigningKeyRow, now = new Date()): Promise<SigningKeyRow> {
  if (key.state === "removed") return key;
  const refusal = removalRefusal(toLifecycleKey(key), now);
  if (refusal) throw stateConflict(key, refusal);
  const removed = await tx.signingKey.update({
    where: { id: key.id },
    data: { state: "removed", removedAt: now, privateKeySealed: null, activatesAt: null },
  });
  await bumpPublishVersion(tx, tenant.id);
  await recordAudit(tx, actor, { action: "key.remove", target: { type: "signing_key", id: key.kid }, tenantSlug: tenant.slug, before: keySummary(key), after: keySummary(removed) });
  return removed;
}
