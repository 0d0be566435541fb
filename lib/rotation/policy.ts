import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import type { Prisma } from "@/lib/generated/sqlite/client";
import type { SigningAlg } from "@/lib/crypto/signing-algorithms";
import { SIGNING_ALG_VALUES } from "@/lib/keys/schemas";
import { PROFILES, type ProfileId } from "@/lib/tenants/profiles";
import { tenantRow } from "@/lib/tenants/tenants";
import { invalidateTenant } from "@/lib/protocol/published-state";
import { STALE, versionedEdit, type EditOptions } from "@/lib/concurrency/versions";
import { effectivePropagationSeconds, policyWarnings, type RotationPolicy } from "@/lib/rotation/lifecycle";

type TenantRow = Prisma.TenantGetPayload<object>;

const DAY = 86_400;
const seconds = (what: string, max: number, maxLabel: string) =>
  z.number().int(`must be a whole number of seconds`).min(0, "must be 0 or more").max(max, `must be at most ${max} (${maxLabel})`).describe(what);

export const rotationPolicyInputSchema = z
  .object({
    propagationSeconds: seconds("How long a new key is published before it may sign; never less than the JWKS max-age", 30 * DAY, "30 days").optional(),
    retentionSeconds: seconds("How long a retired key stays published (cover the access-token lifetime plus clock skew)", 365 * DAY, "one year").optional(),
    rotationIntervalDays: z
      .number()
      .positive("must be more than 0")
      .max(3650, "must be at most 3650 (ten years)")
      .nullable()
      .optional()
      .describe("Stage a new key this many days after the active key was activated; null turns automatic rotation off"),
    rotationIntervalSeconds: z
      .number()
      .int("must be a whole number of seconds")
      .min(1, "must be at least 1")
      .max(3650 * DAY, "must be at most ten years")
      .nullable()
      .optional()
      .describe("The same interval in seconds (for drills and tests); give one of the two"),
    algorithm: z.enum(SIGNING_ALG_VALUES).nullable().optional().describe("Algorithm of generated keys; null: the profile's first"),
    autoActivate: z.boolean().optional().describe("Activate a planned key by itself once its propagation time has passed"),
    jwksMaxAgeSeconds: seconds("How long relying parties may cache the JWKS (Cache-Control max-age)", DAY, "one day").optional(),
    expiryWarningDays: z.number().int("must be a whole number of days").min(1, "must be at least 1").max(365, "must be at most 365").optional(),
    accessTokenTtlSeconds: z
      .number()
      .int("must be a whole number of seconds")
      .min(1, "must be at least 1")
      .max(DAY, "must be at most 86400 (one day)")
      .optional()
      .describe("Lifetime of the access tokens the token endpoint issues"),
  })
  .strict()
  .meta({ id: "RotationPolicyInput" });

export const rotationPolicySchema = z
  .object({
    propagationSeconds: z.number().int(),
    effectivePropagationSeconds: z.number().int().describe("What activation waits for: max(propagation, JWKS max-age) plus the cross-instance slack"),
    retentionSeconds: z.number().int(),
    rotationIntervalSeconds: z.number().int().nullable(),
    rotationIntervalDays: z.number().nullable(),
    algorithm: z.enum(SIGNING_ALG_VALUES),
    algorithmIsDefault: z.boolean(),
    autoActivate: z.boolean(),
    jwksMaxAgeSeconds: z.number().int(),
    expiryWarningDays: z.number().int(),
    accessTokenTtlSeconds: z.number().int(),
    warnings: z.array(z.string()),
    version: z.number().int().describe("The tenant's version (the policy is part of the tenant); the ETag is \"v{version}\" (send it back in If-Match)"),
  })
  .meta({ id: "RotationPolicy" });
export type RotationPolicyView = z.infer<typeof rotationPolicySchema>;

/** The policy fields of a tenant row, as the lifecycle reads them. */
export function policyOf(t: Pick<TenantRow, keyof RotationPolicy>): RotationPolicy {
  return {
    propagationSeconds: t.propagationSeconds,
    retentionSeconds: t.retentionSeconds,
    rotationIntervalSeconds: t.rotationIntervalSeconds,
    autoActivate: t.autoActivate,
    expiryWarningDays: t.expiryWarningDays,
    accessTokenTtlSeconds: t.accessTokenTtlSeconds,
    jwksMaxAgeSeconds: t.jwksMaxAgeSeconds,
  };
}

/** The algorithm of keys the rotation generates: the policy's, else the profile's first. */
export function rotationAlgOf(t: Pick<TenantRow, "rotationAlg" | "profile">): SigningAlg {
  const algs = PROFILES[(t.profile in PROFILES ? t.profile : "generic") as ProfileId].signingAlgs as readonly string[];
  return (t.rotationAlg && algs.includes(t.rotationAlg) ? t.rotationAlg : algs[0]) as SigningAlg;
}

export function toPolicyView(t: TenantRow): RotationPolicyView {
  const policy = policyOf(t);
  return {
    ...policy,
    effectivePropagationSeconds: effectivePropagationSeconds(policy),
    rotationIntervalDays: policy.rotationIntervalSeconds === null ? null : Math.round((policy.rotationIntervalSeconds / DAY) * 1000) / 1000,
    algorithm: rotationAlgOf(t),
    algorithmIsDefault: t.rotationAlg === null,
    warnings: policyWarnings(policy),
    version: t.version,
  };
}

export async function getRotationPolicy(actor: Actor, slug: string): Promise<RotationPolicyView> {
  requireTenantRole(actor, "viewer", slug);
  return toPolicyView(await tenantRow(slug));
}

/**
 * Changes a tenant's rotation policy (fields left out keep their value). The
 * result must hold together: propagation never shorter than the JWKS max-age,
 * an algorithm the profile allows, one interval form.
 */
export async function updateRotationPolicy(actor: Actor, slug: string, input: unknown, options: EditOptions = {}): Promise<RotationPolicyView> {
  requireTenantRole(actor, "admin", slug);
  const data = parseInput(rotationPolicyInputSchema, input ?? {});
  if (data.rotationIntervalDays !== undefined && data.rotationIntervalSeconds !== undefined) {
    const fromDays = data.rotationIntervalDays === null ? null : Math.round(data.rotationIntervalDays * DAY);
    if (fromDays !== data.rotationIntervalSeconds) {
      throw new AppError("validation_failed", "rotationIntervalDays and rotationIntervalSeconds disagree; give one of them", [
        { path: "rotationIntervalSeconds", message: "disagrees with rotationIntervalDays; give one of them" },
      ]);
    }
  }
  const view = await versionedEdit({
    object: `the rotation policy of tenant "${slug}"`,
    target: { type: "tenant", id: slug, tenantSlug: slug },
    expected: options.expectedVersion,
    load: () => tenantRow(slug),
    write: (before) =>
      db().$transaction(async (tx) => {
        const next = {
          propagationSeconds: data.propagationSeconds ?? before.propagationSeconds,
          retentionSeconds: data.retentionSeconds ?? before.retentionSeconds,
          rotationIntervalSeconds:
            data.rotationIntervalSeconds !== undefined
              ? data.rotationIntervalSeconds
              : data.rotationIntervalDays !== undefined
                ? data.rotationIntervalDays === null
                  ? null
                  : Math.max(1, Math.round(data.rotationIntervalDays * DAY))
                : before.rotationIntervalSeconds,
          rotationAlg: data.algorithm !== undefined ? data.algorithm : before.rotationAlg,
          autoActivate: data.autoActivate ?? before.autoActivate,
          jwksMaxAgeSeconds: data.jwksMaxAgeSeconds ?? before.jwksMaxAgeSeconds,
          expiryWarningDays: data.expiryWarningDays ?? before.expiryWarningDays,
          accessTokenTtlSeconds: data.accessTokenTtlSeconds ?? before.accessTokenTtlSeconds,
        };
        const problems = [];
        if (next.propagationSeconds < next.jwksMaxAgeSeconds) {
          problems.push({
            path: data.propagationSeconds !== undefined ? "propagationSeconds" : "jwksMaxAgeSeconds",
            message: `propagation (${next.propagationSeconds} s) must be at least the JWKS max-age (${next.jwksMaxAgeSeconds} s): relying parties may cache the JWKS that long`,
          });
        }
        const algs = PROFILES[(before.profile in PROFILES ? before.profile : "generic") as ProfileId].signingAlgs as readonly string[];
        if (next.rotationAlg !== null && !algs.includes(next.rotationAlg)) {
          problems.push({ path: "algorithm", message: `${next.rotationAlg} is not allowed by the tenant's profile (${algs.join(", ")})` });
        }
        if (problems.length > 0) {
          throw new AppError("validation_failed", `invalid rotation policy: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`, problems);
        }
        // The JWKS max-age and the token lifetime are served: bump the version.
        // The check of the tenant's version and the write are one statement.
        const { count } = await tx.tenant.updateMany({
          where: { id: before.id, version: before.version },
          data: { ...next, publishVersion: { increment: 1 }, version: { increment: 1 } },
        });
        if (count === 0) return STALE;
        const row = await tx.tenant.findUniqueOrThrow({ where: { id: before.id } });
        await recordAudit(tx, actor, {
          action: "tenant.rotation_policy.update",
          target: { type: "tenant", id: slug },
          tenantSlug: slug,
          before: { ...policyOf(before), algorithm: before.rotationAlg, version: before.version },
          after: { ...policyOf(row), algorithm: row.rotationAlg, version: row.version },
        });
        return toPolicyView(row);
      }),
  });
  invalidateTenant(slug);
  return view;
}
