import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { keyForUpdate, keySummary, stateConflict, toLifecycleKey } from "@/lib/keys/key-row";
import { retireRefusal } from "@/lib/rotation/lifecycle";
import { bumpPublishVersion, publishNow, tenantForUpdate } from "@/lib/keys/tenant-scope";
import { toKeyView } from "@/lib/keys/key-view";
import type { SigningKeyView } from "@/lib/keys/schemas";

/**
 * Retires a staged key: it stays published (relying parties may hold tokens or
 * caches that name it) but will not sign. The active key is never retired on
 * its own, which would leave nothing to sign with: activating its successor
 * retires it.
 */
export async function retireSigningKey(actor: Actor, slug: string, kid: string): Promise<SigningKeyView> {
  requireTenantRole(actor, "operator", slug);
  const row = await db().$transaction(async (tx) => {
    const tenant = await tenantForUpdate(tx, slug);
    const key = await keyForUpdate(tx, tenant.id, kid);
    if (key.state === "retired") return key;
    const refusal = retireRefusal(toLifecycleKey(key));
    if (refusal) throw stateConflict(key, refusal);
    // It never signed: nothing to wait for before it may be removed (and a planned activation is cancelled).
    const retired = await tx.signingKey.update({ where: { id: key.id }, data: { state: "retired", retiredAt: new Date(), activatesAt: null } });
    await bumpPublishVersion(tx, tenant.id);
    await recordAudit(tx, actor, { action: "key.retire", target: { type: "signing_key", id: kid }, tenantSlug: slug, before: keySummary(key), after: keySummary(retired) });
    return retired;
  });
  publishNow(slug);
  return toKeyView(row);
}
