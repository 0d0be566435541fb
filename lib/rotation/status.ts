import { z } from "zod";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { toLifecycleKey } from "@/lib/keys/key-row";
import { env } from "@/lib/env";
import {
  certificateRefusal,
  expiresSoon,
  issuedByDirectory,
  planRotation,
  plannedEvents,
  type LifecycleKey,
  type PlannedEvent,
} from "@/lib/rotation/lifecycle";
import { policyOf, rotationPolicySchema, toPolicyView } from "@/lib/rotation/policy";
import { currentLease } from "@/lib/rotation/scheduler";

const DAY_MS = 86_400_000;
/** Removed and revoked keys stay on the timeline this long. */
const HISTORY_MS = 30 * DAY_MS;

const eventSchema = z.object({
  at: z.string(),
  kind: z.enum(["activation", "removal", "rotation", "certificate-expiry"]),
  kid: z.string().nullable(),
  appId: z.string().nullable(),
  label: z.string(),
});

const warningSchema = z.object({
  level: z.enum(["info", "warning", "critical"]),
  kind: z.enum(["certificate-expiry", "renew-certificate", "forced-activation", "no-active-key", "blocked-activation", "manual-activation", "policy"]),
  kid: z.string().nullable(),
  appId: z.string().nullable(),
  message: z.string(),
});

export const rotationStatusSchema = z
  .object({
    now: z.string(),
    policy: rotationPolicySchema,
    scopes: z.array(
      z.object({
        appId: z.string().nullable(),
        active: z
          .object({
            kid: z.string(),
            alg: z.string(),
            activatedAt: z.string().nullable(),
            ageSeconds: z.number().nullable(),
            certNotAfter: z.string().nullable(),
            expiresInSeconds: z.number().nullable(),
            forcedReason: z.string().nullable(),
          })
          .nullable(),
        pending: z.object({ kid: z.string(), activatesAt: z.string() }).nullable(),
        nextEvent: eventSchema.nullable(),
      }),
    ),
    events: z.array(eventSchema),
    warnings: z.array(warningSchema),
    timeline: z.array(
      z.object({
        kid: z.string(),
        appId: z.string().nullable(),
        state: z.string(),
        createdAt: z.string(),
        activatedAt: z.string().nullable(),
        retiredAt: z.string().nullable(),
        endedAt: z.string().nullable().describe("When it left the JWKS (removed or revoked)"),
        activatesAt: z.string().nullable(),
        removesAt: z.string().nullable(),
        certNotAfter: z.string().nullable(),
      }),
    ),
    rotateNow: z
      .object({
        possible: z.boolean(),
        blockedBy: z.string().nullable(),
        publishedAt: z.string(),
        activatesAt: z.string(),
        retiringKid: z.string().nullable(),
        removesRetiringAt: z.string().nullable(),
        stagedCandidates: z.array(z.object({ kid: z.string(), alg: z.string(), createdAt: z.string(), activatesAt: z.string() })),
      })
      .describe("What rotating the tenant scope now would do"),
    scheduler: z.object({
      enabled: z.boolean(),
      leaseHolder: z.string().nullable(),
      lastRenewedAt: z.string().nullable(),
      alive: z.boolean().describe("Some instance renewed the scheduler lease recently"),
    }),
  })
  .meta({ id: "RotationStatus" });
export type RotationStatus = z.infer<typeof rotationStatusSchema>;

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
const toEvent = (e: PlannedEvent) => ({ at: e.at.toISOString(), kind: e.kind, kid: e.kid, appId: e.appId, label: e.label });

/** Everything the keys page's timeline and the dashboard show about a tenant's rotation. */
export async function getRotationStatus(actor: Actor, slug: string, now = new Date()): Promise<RotationStatus> {
  requireTenantRole(actor, "viewer", slug);
  const tenant = await db().tenant.findUnique({ where: { slug } });
  if (!tenant) throw notFound(`tenant "${slug}"`);
  const policy = policyOf(tenant);
  const since = new Date(now.getTime() - HISTORY_MS);
  const rows = await db().signingKey.findMany({
    where: {
      tenantId: tenant.id,
      OR: [{ state: { in: ["staged", "active", "retired"] } }, { removedAt: { gte: since } }, { revokedAt: { gte: since } }],
    },
    orderBy: { createdAt: "asc" },
    take: 500,
  });
  const live = rows.filter((r) => ["staged", "active", "retired"].includes(r.state));
  const scopes = new Map<string | null, typeof live>();
  scopes.set(null, []);
  for (const r of live) scopes.set(r.appId, [...(scopes.get(r.appId) ?? []), r]);

  const warnings: RotationStatus["warnings"] = toPolicyView(tenant).warnings.map((message) => ({ level: "info" as const, kind: "policy" as const, kid: null, appId: null, message }));
  const events: PlannedEvent[] = [];
  const scopeViews: RotationStatus["scopes"] = [];
  for (const [appId, scopeRows] of scopes) {
    const keys: LifecycleKey[] = scopeRows.map(toLifecycleKey);
    const scopeEvents = plannedEvents(keys, policy, now);
    events.push(...scopeEvents);
    const active = scopeRows.find((r) => r.state === "active") ?? null;
    const pending = scopeRows.find((r) => r.state === "staged" && r.activatesAt) ?? null;
    const where = appId ? ` of app "${appId}"` : "";
    if (!active && (appId === null || scopeRows.length > 0)) {
      warnings.push({ level: "critical", kind: "no-active-key", kid: null, appId, message: `no active signing key${where}: the token endpoint cannot issue tokens${appId ? " for it (the tenant key signs instead)" : ""}` });
    }
    if (active?.certNotAfter) {
      const cannot = certificateRefusal(active, now);
      if (cannot) {
        warnings.push({ level: "critical", kind: "certificate-expiry", kid: active.kid, appId, message: `the active key "${active.kid}"${where} cannot sign: ${cannot}` });
      } else if (expiresSoon(active, policy, now)) {
        const days = Math.floor((active.certNotAfter.getTime() - now.getTime()) / DAY_MS);
        warnings.push(
          issuedByDirectory(toLifecycleKey(active))
            ? { level: "warning", kind: "renew-certificate", kid: active.kid, appId, message: `the certificate of the active key "${active.kid}"${where} expires in ${days} days (${active.certNotAfter.toISOString()}): upload the renewed certificate from its issuer (${active.certIssuer}), or rotate to a staged key that has one` }
            : { level: "warning", kind: "certificate-expiry", kid: active.kid, appId, message: `the certificate of the active key "${active.kid}"${where} expires in ${days} days; the scheduler stages a generated successor` },
        );
      }
    }
    for (const r of scopeRows.filter((k) => k.state === "staged" && k.certNotAfter && expiresSoon(k, policy, now))) {
      warnings.push({ level: "warning", kind: "certificate-expiry", kid: r.kid, appId, message: `the certificate of the staged key "${r.kid}" expires at ${r.certNotAfter!.toISOString()}` });
    }
    if (active?.forcedReason) {
      warnings.push({ level: "warning", kind: "forced-activation", kid: active.kid, appId, message: `"${active.kid}"${where} was activated before its propagation time had passed: ${active.forcedReason}` });
    }
    if (pending?.activatesAt) {
      const blocked = certificateRefusal(pending, pending.activatesAt > now ? pending.activatesAt : now);
      if (blocked) warnings.push({ level: "critical", kind: "blocked-activation", kid: pending.kid, appId, message: `the planned key "${pending.kid}" cannot sign: ${blocked}` });
      else if (!policy.autoActivate && pending.activatesAt <= now) {
        warnings.push({ level: "info", kind: "manual-activation", kid: pending.kid, appId, message: `"${pending.kid}" has propagated and waits for an admin to activate it (automatic activation is off)` });
      }
    }
    const ahead = scopeEvents.find((e) => e.at >= now) ?? scopeEvents[0] ?? null;
    if (appId === null || scopeRows.length > 0) {
      scopeViews.push({
        appId,
        active: active
          ? {
              kid: active.kid,
              alg: active.alg,
              activatedAt: iso(active.activatedAt),
              ageSeconds: active.activatedAt ? Math.floor((now.getTime() - active.activatedAt.getTime()) / 1000) : null,
              certNotAfter: iso(active.certNotAfter),
              expiresInSeconds: active.certNotAfter ? Math.floor((active.certNotAfter.getTime() - now.getTime()) / 1000) : null,
              forcedReason: active.forcedReason,
            }
          : null,
        pending: pending ? { kid: pending.kid, activatesAt: pending.activatesAt!.toISOString() } : null,
        nextEvent: ahead ? toEvent(ahead) : null,
      });
    }
  }

  const tenantScope = scopes.get(null) ?? [];
  const active = tenantScope.find((r) => r.state === "active") ?? null;
  const pending = tenantScope.find((r) => r.state === "staged" && r.activatesAt) ?? null;
  const plan = planRotation(now, policy, active);
  const lease = await currentLease();
  return {
    now: now.toISOString(),
    policy: toPolicyView(tenant),
    scopes: scopeViews,
    events: events.sort((a, b) => a.at.getTime() - b.at.getTime()).map(toEvent),
    warnings,
    timeline: rows.map((r) => ({
      kid: r.kid,
      appId: r.appId,
      state: r.state,
      createdAt: r.createdAt.toISOString(),
      activatedAt: iso(r.activatedAt),
      retiredAt: iso(r.retiredAt),
      endedAt: iso(r.removedAt ?? r.revokedAt),
      activatesAt: iso(r.activatesAt),
      removesAt: iso(r.removesAt),
      certNotAfter: iso(r.certNotAfter),
    })),
    rotateNow: {
      possible: pending === null,
      blockedBy: pending ? `a rotation is under way: "${pending.kid}" activates at ${pending.activatesAt!.toISOString()}` : null,
      publishedAt: plan.publishedAt.toISOString(),
      activatesAt: (active ? plan.activatesAt : now).toISOString(),
      retiringKid: plan.retiringKid,
      removesRetiringAt: iso(plan.removesRetiringAt),
      stagedCandidates: tenantScope
        .filter((r) => r.state === "staged" && !r.activatesAt && r.privateKeySealed && !certificateRefusal(r, now))
        .map((r) => ({ kid: r.kid, alg: r.alg, createdAt: r.createdAt.toISOString(), activatesAt: planRotation(now, policy, active, r.createdAt).activatesAt.toISOString() })),
    },
    scheduler: {
      enabled: env().scheduler,
      leaseHolder: lease?.holder ?? null,
      lastRenewedAt: iso(lease?.renewedAt),
      alive: lease !== null && lease.expiresAt > now,
    },
  };
}
