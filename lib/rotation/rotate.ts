import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { SIGNING_ALG_VALUES } from "@/lib/keys/schemas";
import { insertPreparedKey, prepare } from "@/lib/keys/add-key";
import { activateInTx, type TenantScope } from "@/lib/keys/activate-key";
import { keySummary, stateConflict, type SigningKeyRow } from "@/lib/keys/key-row";
import { bumpPublishVersion, publishNow, tenantForUpdate } from "@/lib/keys/tenant-scope";
import type { PreparedSigningKey } from "@/lib/crypto/prepare-signing-key";
import { certificateRefusal, planRotation } from "@/lib/rotation/lifecycle";
import { policyOf, rotationAlgOf } from "@/lib/rotation/policy";

export const rotateInputSchema = z
  .object({
    kid: z.string().trim().min(1).max(256).optional().describe("A staged key to rotate to (e.g. one imported with the directory's certificate); without it a key is generated"),
    alg: z.enum(SIGNING_ALG_VALUES).optional().describe("Algorithm of the generated key; default: the rotation policy's"),
    appId: z.string().trim().min(1).max(200).optional().describe("Rotate the keys of this app scope instead of the tenant's"),
  })
  .strict()
  .refine((v) => !(v.kid && v.alg), { path: ["alg"], message: "applies to a generated key; a staged key keeps its own algorithm" })
  .meta({ id: "RotateInput" });

export const rotationResultSchema = z
  .object({
    kid: z.string().describe("The new key: published now, signing from activatesAt"),
    alg: z.string(),
    appId: z.string().nullable(),
    publishedAt: z.string(),
    activatesAt: z.string(),
    activated: z.boolean().describe("True when it signs already (nothing signed in the scope, or it had propagated)"),
    autoActivate: z.boolean().describe("Whether the scheduler activates it at activatesAt; if not, activate it then yourself"),
    retiringKid: z.string().nullable(),
    retiringKeyRemovedAt: z.string().nullable().describe("When the current key leaves the JWKS"),
  })
  .meta({ id: "RotationResult" });
export type RotationResult = z.infer<typeof rotationResultSchema>;

/**
 * Rotate now: stages the next key of a scope (generated, or a staged key given
 * by kid) and plans its activation at publication + propagation; the current
 * key retires then and leaves the JWKS after the retention. One rotation per
 * scope at a time: a second one while a key is on its way is refused (409).
 */
export async function rotateNow(actor: Actor, slug: string, input: unknown = {}): Promise<RotationResult> {
  requireTenantRole(actor, "operator", slug);
  const data = parseInput(rotateInputSchema, input ?? {});
  const tenantRow = await db().tenant.findUnique({ where: { slug } });
  if (!tenantRow) throw notFound(`tenant "${slug}"`);
  // RSA generation takes a moment: before the transaction (and its lock).
  const prepared = data.kid ? null : await prepare({ source: "generate", alg: data.alg ?? rotationAlgOf(tenantRow) }, tenantRow.profile);
  const result = await db().$transaction(async (tx) => {
    const tenant = await tenantForUpdate(tx, slug);
    const scope = { id: tenant.id, slug, policy: policyOf(tenant) };
    return rotateInTx(tx, actor, scope, { appId: data.appId ?? null, kid: data.kid, prepared });
  });
  publishNow(slug);
  return result;
}

/**
 * The rotation inside the caller's transaction (which holds the tenant lock):
 * used by "rotate now" and by the scheduler's automatic rotation.
 */
export async function rotateInTx(
  tx: Tx,
  actor: Actor,
  scope: TenantScope,
  what: { appId: string | null; kid?: string; prepared: PreparedSigningKey | null; why?: string },
  now = new Date(),
): Promise<RotationResult> {
  const keys = await tx.signingKey.findMany({ where: { tenantId: scope.id, appId: what.appId, state: { in: ["staged", "active"] } } });
  const active = keys.find((k) => k.state === "active") ?? null;
  const pending = keys.find((k) => k.state === "staged" && k.activatesAt !== null);
  if (pending) {
    throw new AppError(
      "conflict",
      `a rotation is already under way${what.appId ? ` for app "${what.appId}"` : ""}: key "${pending.kid}" activates at ${pending.activatesAt!.toISOString()}; activate or retire it first`,
    );
  }
  let next: SigningKeyRow;
  if (what.kid) {
    const found = await tx.signingKey.findUnique({ where: { tenantId_kid: { tenantId: scope.id, kid: what.kid } } });
    if (!found) throw notFound(`signing key "${what.kid}"`);
    if (found.state !== "staged") throw stateConflict(found, "only a staged key can be rotated to");
    if (found.appId !== what.appId) throw stateConflict(found, `it belongs to ${found.appId ? `app "${found.appId}"` : "the tenant scope"}`);
    if (!found.privateKeySealed) throw stateConflict(found, "its private key is gone");
    next = found;
  } else {
    next = await insertPreparedKey(tx, actor, scope, what.prepared!, { appId: what.appId, source: "generate", now });
  }
  const plan = planRotation(now, scope.policy, active ? { kid: active.kid } : null, next.createdAt);
  // A certificate must be valid when the key starts signing.
  const cert = certificateRefusal(next, plan.activatesAt);
  if (cert) throw stateConflict(next, `it cannot sign at ${plan.activatesAt.toISOString()}: ${cert}`);

  let activated = false;
  if (!active || plan.activatesAt <= now) {
    // Nothing signs in this scope yet, or the key has been published long enough.
    next = await activateInTx(tx, actor, scope, next, undefined, now);
    activated = true;
  } else {
    next = await tx.signingKey.update({ where: { id: next.id }, data: { activatesAt: plan.activatesAt } });
    await bumpPublishVersion(tx, scope.id);
  }
  const result: RotationResult = {
    kid: next.kid,
    alg: next.alg,
    appId: next.appId,
    publishedAt: next.createdAt.toISOString(),
    activatesAt: (activated ? now : plan.activatesAt).toISOString(),
    activated,
    autoActivate: scope.policy.autoActivate,
    retiringKid: plan.retiringKid,
    retiringKeyRemovedAt: plan.removesRetiringAt?.toISOString() ?? null,
  };
  await recordAudit(tx, actor, {
    action: "key.rotate",
    target: { type: "signing_key", id: next.kid },
    tenantSlug: scope.slug,
    before: active ? { activeKid: active.kid } : null,
    after: { ...keySummary(next), plan: result, ...(what.why ? { why: what.why } : {}) },
  });
  return result;
}
