import { db } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { revokeKeySchema, type SigningKeyView } from "@/lib/keys/schemas";
import { keyForUpdate, keySummary, stateConflict, toLifecycleKey } from "@/lib/keys/key-row";
import { bumpPublishVersion, publishNow, tenantForUpdate } from "@/lib/keys/tenant-scope";
import { toKeyView } from "@/lib/keys/key-view";
import { insertPreparedKey, prepare } from "@/lib/keys/add-key";
import { activateInTx } from "@/lib/keys/activate-key";
import { revocationRefusal } from "@/lib/rotation/lifecycle";
import { policyOf, rotationAlgOf } from "@/lib/rotation/policy";

export interface RevokeResult extends SigningKeyView {
  /** The key that signs instead, when the active key was revoked. */
  replacedBy: string | null;
}

/**
 * Revokes a compromised key: it leaves the JWKS at once, its private part is
 * destroyed and it never signs again. Revoking the active key is an
 * emergency: a replacement signs from the same moment — a staged key promoted
 * (forced, with the revocation's reason) or a key generated for the occasion.
 */
export async function revokeSigningKey(actor: Actor, slug: string, kid: string, input: unknown): Promise<RevokeResult> {
  requireTenantRole(actor, "operator", slug);
  const data = parseInput(revokeKeySchema, input);
  const tenantRow = await db().tenant.findUnique({ where: { slug } });
  if (!tenantRow) throw notFound(`tenant "${slug}"`);
  // Key generation takes a moment: done before the transaction, only used if needed.
  const generated = data.generateReplacement ? await prepare({ source: "generate", alg: rotationAlgOf(tenantRow) }, tenantRow.profile) : null;
  const result = await db().$transaction(async (tx) => {
    const tenant = await tenantForUpdate(tx, slug);
    const scope = { id: tenant.id, slug, policy: policyOf(tenant) };
    const now = new Date();
    let key = await keyForUpdate(tx, tenant.id, kid);
    if (key.state === "revoked") return { row: key, replacedBy: null };
    const replacement = data.replacementKid
      ? await tx.signingKey.findUnique({ where: { tenantId_kid: { tenantId: tenant.id, kid: data.replacementKid } } })
      : null;
    if (data.replacementKid && !replacement) {
      throw new AppError("validation_failed", `replacementKid: no key "${data.replacementKid}" in this tenant`, [
        { path: "replacementKid", message: `no key "${data.replacementKid}" in this tenant` },
      ]);
    }
    const refusal = revocationRefusal(toLifecycleKey(key), {
      now,
      replacement: generated ? "generate" : replacement ? toLifecycleKey(replacement) : null,
    });
    if (refusal) throw stateConflict(key, refusal);
    let replacedBy: string | null = null;
    if (key.state === "active") {
      const successor = replacement ?? (await insertPreparedKey(tx, actor, scope, generated!, { appId: key.appId, source: "generate" }));
      await activateInTx(tx, actor, scope, successor, { reason: `emergency replacement of revoked key "${key.kid}": ${data.reason}` }, now);
      replacedBy = successor.kid;
      key = await keyForUpdate(tx, tenant.id, kid);
    }
    const revoked = await tx.signingKey.update({
      where: { id: key.id },
      data: { state: "revoked", revokedAt: now, revokeReason: data.reason, privateKeySealed: null, activatesAt: null, removesAt: null },
    });
    await bumpPublishVersion(tx, tenant.id);
    await recordAudit(tx, actor, {
      action: "key.revoke",
      target: { type: "signing_key", id: kid },
      tenantSlug: slug,
      before: keySummary(key),
      after: { ...keySummary(revoked), reason: data.reason, replacedBy },
    });
    return { row: revoked, replacedBy };
  });
  publishNow(slug);
  return { ...toKeyView(result.row), replacedBy: result.replacedBy };
}
