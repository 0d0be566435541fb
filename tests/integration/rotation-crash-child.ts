// The victim of rotation-crash.int.test.ts: rotates one tenant's keys in a
// tight loop through the services, as an operator, the scheduler and an
// emergency override would, until the test SIGKILLs it.
//
//   node --import tsx tests/integration/rotation-crash-child.ts <tenant-slug>
//   (then a line on stdin to start)
//
// DATABASE_URL, KEYWARD_KEK and the rest come from the parent's environment.
// Each operation is announced on stdout as "> <n> <op>" when it starts and
// reported as "<n> <op> <outcome>" when it ends, so the parent knows the loop
// runs, can aim a kill into an operation, and can tell what it interrupted.

import { createHash } from "node:crypto";
import type { Actor } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { activateSigningKey } from "@/lib/keys/activate-key";
import { rotateNow } from "@/lib/rotation/rotate";
import { runRotationTick } from "@/lib/rotation/scheduler";

const slug = process.argv[2] ?? "";
if (!slug) {
  process.stderr.write("usage: rotation-crash-child.ts <tenant-slug>\n");
  process.exit(2);
}

const DRILL: Actor = { type: "cli", label: "crash-drill", role: "admin" };

/**
 * When the drill forces a planned key in: every other key (by its place in
 * the tenant's history, so the same across restarts) 0–2.5 s after it was
 * published, before its 3 s propagation ends; the others are left to the
 * scheduler's tick.
 */
async function forceAfterMs(key: { tenantId: string; kid: string; createdAt: Date }): Promise<number> {
  const place = await db().signingKey.count({ where: { tenantId: key.tenantId, createdAt: { lte: key.createdAt } } });
  if (place % 2 === 1) return Number.POSITIVE_INFINITY;
  return createHash("sha256").update(key.kid).digest().readUInt16BE(0) % 2_500;
}

async function forceOverdue(): Promise<string> {
  const tenant = await db().tenant.findUniqueOrThrow({ where: { slug } });
  const pending = await db().signingKey.findFirst({ where: { tenantId: tenant.id, appId: null, state: "staged", activatesAt: { not: null } } });
  if (!pending) return "nothing-pending";
  if (Date.now() - pending.createdAt.getTime() < (await forceAfterMs(pending))) return "waiting";
  await activateSigningKey(DRILL, slug, pending.kid, { force: true, reason: "crash drill: forced before propagation" });
  return `forced ${pending.kid}`;
}

type Op = "rotate" | "tick" | "force";

function pick(): Op {
  const r = Math.random();
  return r < 0.35 ? "rotate" : r < 0.75 ? "tick" : "force";
}

async function run(op: Op): Promise<string> {
  if (op === "rotate") {
    const result = await rotateNow(DRILL, slug, {});
    return `${result.kid}${result.activated ? " active" : ""}`;
  }
  if (op === "tick") {
    const report = await runRotationTick();
    if (report.errors.length > 0) throw new Error(`tick errors: ${JSON.stringify(report.errors)}`);
    return report.transitions.map((t) => `${t.type}:${t.kid}`).join(",") || "-";
  }
  return forceOverdue();
}

async function main(): Promise<never> {
  // Started ahead of time (loading the modules takes seconds): the parent says
  // when to begin, once it has checked the state the last run left behind.
  await new Promise((resolve) => process.stdin.once("data", resolve));
  for (let n = 1; ; n++) {
    const op = pick();
    // Announced first, so the parent can aim a kill into the operation.
    process.stdout.write(`> ${n} ${op}\n`);
    let outcome: string;
    try {
      outcome = await run(op);
    } catch (error) {
      // A rotation under way (409) is the expected refusal; anything else is
      // reported and the loop goes on, as the scheduler would.
      outcome = isAppError(error) && error.code === "conflict" ? "conflict" : `error ${(error as Error).message.split("\n")[0]}`;
    }
    process.stdout.write(`${n} ${op} ${outcome}\n`);
  }
}

void main();
