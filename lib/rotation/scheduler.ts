import { randomUUID } from "node:crypto";
import os from "node:os";
import { db } from "@/lib/db";
import { isUniqueViolation } from "@/lib/db/errors";
import { SYSTEM_ACTOR } from "@/lib/auth/roles";
import { log } from "@/lib/log";
import { metrics } from "@/lib/observability/metrics";
import { activateInTx } from "@/lib/keys/activate-key";
import { prepare } from "@/lib/keys/add-key";
import { toLifecycleKey } from "@/lib/keys/key-row";
import { removeInTx } from "@/lib/keys/remove-key";
import { publishNow, tenantForUpdate } from "@/lib/keys/tenant-scope";
import type { PreparedSigningKey } from "@/lib/crypto/prepare-signing-key";
import { dueTransitions, type DueTransition, type LifecycleKey } from "@/lib/rotation/lifecycle";
import { policyOf, rotationAlgOf } from "@/lib/rotation/policy";
import { rotateInTx } from "@/lib/rotation/rotate";

/**
 * The rotation scheduler: stages, activates and removes keys as each tenant's
 * policy says, with the actor `system` in the audit.
 *
 * Each tenant's transitions run in one transaction holding the tenant's lock
 * (see tenantForUpdate), after re-reading its keys, so a tick can race an
 * admin's change or another instance's tick and still do each transition
 * once. Inside the app, a database lease lets one instance at a time run the
 * ticks; `keyward rotate-tick` runs one tick from cron instead.
 */

export interface TickTransition {
  tenant: string;
  type: DueTransition["type"];
  kid: string;
  appId: string | null;
  why: string;
}

export interface TickReport {
  at: string;
  transitions: TickTransition[];
  errors: { tenant: string; message: string }[];
}

const LIVE_STATES = ["staged", "active", "retired"];

function byScope(keys: LifecycleKey[]): Map<string | null, LifecycleKey[]> {
  const scopes = new Map<string | null, LifecycleKey[]>();
  for (const k of keys) scopes.set(k.appId, [...(scopes.get(k.appId) ?? []), k]);
  return scopes;
}

/** One pass over every tenant: performs what is due at `now`. */
export async function runRotationTick(now: () => Date = () => new Date()): Promise<TickReport> {
  const tenants = await db().tenant.findMany({ orderBy: { slug: "asc" } });
  const report: TickReport = { at: now().toISOString(), transitions: [], errors: [] };
  for (const t of tenants) {
    try {
      report.transitions.push(...(await tickTenant(t.slug, now)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report.errors.push({ tenant: t.slug, message });
      log().error({ tenant: t.slug, err: message }, "rotation scheduler: a tenant's transitions failed; retried next tick");
    }
  }
  return report;
}

async function dueFor(slug: string, now: Date): Promise<DueTransition[]> {
  const tenant = await db().tenant.findUnique({ where: { slug } });
  if (!tenant) return [];
  const keys = await db().signingKey.findMany({ where: { tenantId: tenant.id, state: { in: LIVE_STATES } } });
  const policy = policyOf(tenant);
  return [...byScope(keys.map(toLifecycleKey)).values()].flatMap((scopeKeys) => dueTransitions(scopeKeys, policy, now));
}

async function tickTenant(slug: string, now: () => Date): Promise<TickTransition[]> {
  // A read without the lock first: most ticks find nothing to do.
  const preview = await dueFor(slug, now());
  if (preview.length === 0) return [];
  // Keys a rotation will need are generated before the transaction (RSA takes a moment).
  const tenantRow = await db().tenant.findUniqueOrThrow({ where: { slug } });
  const prepared = new Map<string | null, PreparedSigningKey>();
  for (const d of preview) {
    if (d.type === "rotate") prepared.set(d.appId, await prepare({ source: "generate", alg: rotationAlgOf(tenantRow) }, tenantRow.profile));
  }
  const done = await db().$transaction(
    async (tx) => {
      const tenant = await tenantForUpdate(tx, slug);
      const scope = { id: tenant.id, slug, policy: policyOf(tenant) };
      const at = now();
      // Re-read under the lock: another instance or an admin may have acted meanwhile.
      const keys = await tx.signingKey.findMany({ where: { tenantId: tenant.id, state: { in: LIVE_STATES } } });
      const performed: TickTransition[] = [];
      for (const [appId, scopeKeys] of byScope(keys.map(toLifecycleKey))) {
        for (const d of dueTransitions(scopeKeys, scope.policy, at)) {
          if (d.type === "rotate") {
            const key = prepared.get(appId);
            if (!key) continue; // became due after the preview: next tick
            const result = await rotateInTx(tx, SYSTEM_ACTOR, scope, { appId, prepared: key, why: d.why }, at);
            performed.push({ tenant: slug, type: d.type, kid: result.kid, appId, why: d.why });
            continue;
          }
          const row = await tx.signingKey.findUniqueOrThrow({ where: { tenantId_kid: { tenantId: tenant.id, kid: d.kid } } });
          if (d.type === "activate") await activateInTx(tx, SYSTEM_ACTOR, scope, row, undefined, at);
          else await removeInTx(tx, SYSTEM_ACTOR, scope, row, at);
          performed.push({ tenant: slug, type: d.type, kid: d.kid, appId, why: d.why });
        }
      }
      return performed;
    },
    { timeout: 30_000 },
  );
  if (done.length > 0) {
    publishNow(slug);
    log().info({ tenant: slug, transitions: done }, "rotation scheduler: transitions performed");
  }
  return done;
}

// ---------------------------------------------------------------- the lease

const LEASE = "rotation-scheduler";

/**
 * Takes or renews the scheduler lease for `holder` until `ttlMs` from now.
 * True when this holder has it: it was free, expired, or already ours. The
 * conditional update is atomic on both databases, so two instances never
 * both hold it.
 */
export async function acquireLease(holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const taken = await db().schedulerLease.updateMany({
    where: { name: LEASE, OR: [{ holder }, { expiresAt: { lt: now } }] },
    data: { holder, expiresAt, renewedAt: now },
  });
  if (taken.count === 1) return true;
  try {
    await db().schedulerLease.create({ data: { name: LEASE, holder, expiresAt, renewedAt: now } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Gives the lease up (a clean shutdown), so another instance takes over at once. */
export async function releaseLease(holder: string): Promise<void> {
  await db().schedulerLease.updateMany({ where: { name: LEASE, holder }, data: { expiresAt: new Date(0) } });
}

/** Who holds the lease, and until when (health and the dashboard). */
export async function currentLease(): Promise<{ holder: string; expiresAt: Date; renewedAt: Date } | null> {
  return db().schedulerLease.findUnique({ where: { name: LEASE } });
}

// ---------------------------------------------------------------- the loop

export interface SchedulerState {
  holder: string;
  intervalMs: number;
  startedAt: Date;
  lastTickAt: Date | null;
  lastError: string | null;
  leader: boolean;
  stop: () => Promise<void>;
}

const g = globalThis as unknown as { __keywardScheduler?: SchedulerState };

/** This process's scheduler, if started. */
export function schedulerState(): SchedulerState | undefined {
  return g.__keywardScheduler;
}

/**
 * Starts the scheduler loop once per process: every `intervalMs`, take or
 * renew the lease and, holding it, run a tick. An instance that stops
 * renewing (crash, network) loses the lease after a few intervals and
 * another takes over.
 */
export function startScheduler(intervalMs: number): SchedulerState {
  if (g.__keywardScheduler) return g.__keywardScheduler;
  const holder = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const ttlMs = Math.max(intervalMs * 3, 5000);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let stopped = false;
  const state: SchedulerState = {
    holder,
    intervalMs,
    startedAt: new Date(),
    lastTickAt: null,
    lastError: null,
    leader: false,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      if (state.leader) await releaseLease(holder).catch(() => {});
      g.__keywardScheduler = undefined;
    },
  };
  const loop = () => {
    if (stopped) return;
    running = (async () => {
      try {
        state.leader = await acquireLease(holder, ttlMs);
        if (state.leader) {
          const report = await runRotationTick();
          metrics().schedulerTick(report.errors.length > 0 ? "error" : report.transitions.length > 0 ? "performed" : "idle", report.transitions);
        } else {
          metrics().schedulerTick("standby", []);
        }
        state.lastTickAt = new Date();
        state.lastError = null;
      } catch (error) {
        state.lastError = error instanceof Error ? error.message : String(error);
        metrics().schedulerTick("error", []);
        log().warn({ err: state.lastError }, "rotation scheduler tick failed; retrying");
      }
    })().finally(() => {
      running = null;
      if (!stopped) timer = setTimeout(loop, intervalMs);
    });
  };
  g.__keywardScheduler = state;
  timer = setTimeout(loop, 0);
  return state;
}
