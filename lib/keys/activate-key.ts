import { db, type Tx } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-event";
import { requireRole, type Actor } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { activateKeySchema } from "@/lib/keys/schemas";
import { assertCertificateValid, keyForUpdate, keySummary, stateConflict, type SigningKeyRow } from "@/lib/keys/key-row";
import { bumpPublishVersion, publishNow, tenantForUpdate } from "@/lib/keys/tenant-scope";
import { toKeyView } from "@/lib/keys/key-view";
import type { SigningKeyView } from "@/lib/keys/schemas";

/**
 * Makes a key the one that signs for its tenant (or app), retiring the key that
 * signed before: it stays published, so tokens it signed still verify. A key
 * whose certificate is expired or not yet valid never becomes active.
 */
export async function activateSigningKey(actor: Actor, slug: string, kid: string, input: unknown = {}): Promise<SigningKeyView> {
  requireRole(actor, "operator");
  const data = parseInput(activateKeySchema, input ?? {});
  const row = await db().$transaction(async (tx) => {
    const tenant = await tenantForUpdate(tx, slug);
    const key = await keyForUpdate(tx, tenant.id, kid);
    return activateInTx(tx, actor, { id: tenant.id, slug }, key, data.force ? { reason: data.reason ?? null } : undefined);
  });
  publishNow(slug);
  return toKeyView(row);
}

/**
 * The activation itself, inside the caller's transaction: checks the key can
 * sign, retires the scope's active key, activates this one, audits.
 */
export async function activateInTx(
  tx: Tx,
  actor: Actor,
  tenant: { id: string; slug: string },
  key: SigningKeyRow,
  forced?: { reason: string | null },
): Promise<SigningKeyRow> {
  if (key.state === "active") return key;
  if (key.state !== "staged" && key.state !== "retired") throw stateConflict(key, "only a staged or retired key can be activated");
  if (!key.privateKeySealed) throw stateConflict(key, "its private key is gone");
  assertCertificateValid(key);
  const now = new Date();
  const previous = await tx.signingKey.findFirst({ where: { tenantId: tenant.id, appId: key.appId, state: "active" } });
  // Retire first: the database allows one active key per scope at a time.
  if (previous) await tx.signingKey.update({ where: { id: previous.id }, data: { state: "retired", retiredAt: now } });
  const activated = await tx.signingKey.update({ where: { id: key.id }, data: { state: "active", activatedAt: now, retiredAt: null } });
  await bumpPublishVersion(tx, tenant.id);
  await recordAudit(tx, actor, {
    action: "key.activate",
    target: { type: "signing_key", id: key.kid },
    tenantSlug: tenant.slug,
    before: { ...keySummary(key), previousActiveKid: previous?.kid ?? null },
    after: { ...keySummary(activated), retiredKid: previous?.kid ?? null, ...(forced ? { forced: true, reason: forced.reason } : {}) },
  });
  return activated;
}
