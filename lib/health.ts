import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { providerFromUrl } from "@/lib/db/provider";
import { VERSION } from "@/lib/version";

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
    time: new Date().toISOString(),
  };
}
