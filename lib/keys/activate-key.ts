import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { activateKeySchema } from "@/lib/keys/schemas";
import { keyForUpdate, keySummary, toLifecycleKey, type SigningKeyRow } from "@/lib/keys/key-row";
import { bumpPublishVersion, publishNow, tenantForUpdate } from "@/lib/keys/tenant-scope";
import { toKeyView } from "@/lib/keys/key-view";
import type { SigningKeyView } from "@/lib/keys/schemas";
import { activationRefusal, propagatedAt, removalAt, type RotationPolicy } from "@/lib/rotation/lifecycle";
import { policyOf } from "@/lib/rotation/policy";

/** What the audit and the dashboard say of a forced activation sent without a reason. */
export const NO_REASON = "no reason given";

/**
 * Makes a key the one that signs for its tenant (or app), retiring the key that
 * signed before: it stays published for the retention time, so tokens it
 * signed still verify. A staged key must have been published for the
 * propagation time first (409), unless the activation is forced (with a reason, audited).
 * A key whose certificate is expired or not yet valid never becomes active.
 */
export async function activateSigningKey(actor: Actor, slug: string, kid: string, input: unknown = {}): Promise<SigningKeyView> {
  requireTenantRole(actor, "operator", slug);
  const data = parseInput(activateKeySchema, input ?? {});
  const row = await db().$transaction(async (tx) => {
    const tenant = await tenantForUpdate(tx, slug);
    const key = await keyForUpdate(tx, tenant.id, kid);
    return activateInTx(tx, actor, { id: tenant.id, slug, policy: policyOf(tenant) }, key, data.force ? { reason: data.reason ?? NO_REASON } : undefined);
  });
  publishNow(slug);
  return toKeyView(row);
}

export interface TenantScope {
  id: string;
  slug: string;
  policy: RotationPolicy;
}

/**
 * The activation itself, inside the caller's transaction (which holds the
 * tenant's lock): checks the lifecycle rules, retires the scope's active key
 * (planning its removal after the retention), activates this one, audits.
 */
export async function activateInTx(
  tx: Tx,
  actor: Actor,
  tenant: TenantScope,
  key: SigningKeyRow,
  forced?: { reason: string },
  now = new Date(),
): Promise<SigningKeyRow> {
  if (key.state === "active") return key;
  const previous = await tx.signingKey.findFirst({ where: { tenantId: tenant.id, appId: key.appId, state: "active" } });
  const refusal = activationRefusal(toLifecycleKey(key), { now, policy: tenant.policy, scopeHasActive: previous !== null, force: forced !== undefined });
  if (refusal) throw new AppError("conflict", `key "${key.kid}" cannot be activated: ${refusal}`);
  // Forced before its time: remembered on the key and shown on the dashboard.
  const early = forced && previous && key.state === "staged" && propagatedAt(key.createdAt, tenant.policy) > now ? forced.reason : null;
  // Retire first: the database allows one active key per scope at a time.
  if (previous) {
    await tx.signingKey.update({ where: { id: previous.id }, data: { state: "retired", retiredAt: now, removesAt: removalAt(now, tenant.policy) } });
  }
  const activated = await tx.signingKey.update({
    where: { id: key.id },
    data: { state: "active", activatedAt: now, retiredAt: null, removesAt: null, activatesAt: null, forcedReason: early },
  });
  await bumpPublishVersion(tx, tenant.id);
  await recordAudit(tx, actor, {
    action: "key.activate",
    target: { type: "signing_key", id: key.kid },
    tenantSlug: tenant.slug,
    before: { ...keySummary(key), previousActiveKid: previous?.kid ?? null },
    after: {
      ...keySummary(activated),
      retiredKid: previous?.kid ?? null,
      retiredKeyRemovesAt: previous ? removalAt(now, tenant.policy).toISOString() : null,
      ...(forced ? { forced: true, reason: forced.reason, beforePropagation: early !== null } : {}),
    },
  });
  return activated;
}
