import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { providerFromUrl } from "@/lib/db/provider";
import { VERSION } from "@/lib/version";
import { schedulerState } from "@/lib/rotation/scheduler";

/** Liveness with the database's reachability; never throws. */
export async function health() {
  const provider = providerFromUrl(env().databaseUrl);
  const started = performance.now();
  let reachable = false;
  try {
    await db().$queryRawUnsafe("SELECT 1");
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
