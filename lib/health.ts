import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { providerFromUrl } from "@/lib/db/provider";
import { VERSION } from "@/lib/version";
import { schedulerState } from "@/lib/rotation/scheduler";

/** How long the health probes wait for the database's answer. */
const PROBE_TIMEOUT_MS = 3_000;

/** `SELECT 1`, failing after {@link PROBE_TIMEOUT_MS}: a database that hangs is as down as one that refuses. */
async function probeDatabase(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db().$queryRawUnsafe("SELECT 1"),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness with the database's reachability; never throws. */
export async function health() {
  const provider = providerFromUrl(env().databaseUrl);
  const started = performance.now();
  let reachable = false;
  try {
    await probeDatabase();
    reachable = true;
  } catch {
    reachable = false;
  }
  return {
    status: reachable ? ("ok" as const) : ("degraded" as const),
    version: VERSION,
    database: { provider, reachable, latencyMs: Math.round((performance.now() - started) * 10) / 10 },
    scheduler: schedulerHealth(),
    time: new Date().toISOString(),
  };
}

/** This process's rotation scheduler: running, whether it holds the lease, when it last ticked. */
function schedulerHealth() {
  const s = schedulerState();
  if (!s) return { running: false, leader: false, lastTickAt: null, lastError: null };
  return { running: true, leader: s.leader, lastTickAt: s.lastTickAt?.toISOString() ?? null, lastError: s.lastError };
}

/**
 * Readiness: may this instance take traffic? The database answers, and the
 * rotation scheduler (when this process runs it) has ticked recently.
 */
export async function readiness(): Promise<{ ready: boolean; problems: string[] }> {
  const problems: string[] = [];
  try {
    await probeDatabase();
  } catch (error) {
    problems.push(`database: unavailable (${describeDbError(error)})`);
  }
  const e = env();
  if (e.scheduler) {
    const s = schedulerState();
    const limit = Math.max(e.schedulerIntervalMs * 5, 15_000);
    const since = s?.lastTickAt ?? s?.startedAt;
    if (!s) problems.push("scheduler: not running in this process");
    else if (since && Date.now() - since.getTime() > limit) {
      problems.push(`scheduler: no tick for ${Math.round((Date.now() - since.getTime()) / 1000)} s${s.lastError ? ` (last error: ${s.lastError})` : ""}`);
    }
  }
  return { ready: problems.length === 0, problems };
}

/** One line for an operator: Prisma's messages start with a blank line and the call site. */
function describeDbError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? "unknown error";
}
