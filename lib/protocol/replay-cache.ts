import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/sqlite/client";

/**
 * Records a jti as used until the JWT that carried it expires; answers false
 * when it was used before. Backed by the database, so it holds across
 * instances: a jti used on one instance is refused on every other, and the
 * primary key decides races.
 *
 * The token endpoint records one jti per assertion, so writes are grouped:
 * while one statement is in flight, the jtis that arrive meanwhile wait and
 * go into the next one, a single multi-row upsert whose RETURNING names the
 * jtis that were new (or whose earlier JWT had expired). Each caller still
 * learns its answer only once that statement has committed.
 */
const MAX_BATCH = 500;
/** How often a process purges the jtis whose JWTs have expired (in the background, never in a request). */
const PURGE_EVERY_MS = 60_000;

function jtiKey(issuer: string, jti: string): string {
  return createHash("sha256").update(`${issuer}\u0000${jti}`).digest("hex");
}

/** Whether a jti is recorded as used and its JWT has not expired (a dry run: records nothing). */
export async function jtiSeen(issuer: string, jti: string): Promise<boolean> {
  const row = await db().usedJti.findUnique({ where: { key: jtiKey(issuer, jti) } });
  return row !== null && row.expiresAt >= new Date();
}

interface Pending {
  key: string;
  expiresAt: Date;
  settle: (fresh: boolean) => void;
  fail: (error: unknown) => void;
}

let queue: Pending[] = [];
let writing = false;
let purgedAt = Date.now();

export function consumeJti(issuer: string, jti: string, expiresAtSeconds: number): Promise<boolean> {
  return new Promise((settle, fail) => {
    queue.push({ key: jtiKey(issuer, jti), expiresAt: new Date(expiresAtSeconds * 1000), settle, fail });
    // Not at once: the other requests whose I/O completes in this turn of the
    // event loop join the statement (SQLite runs it synchronously, so nothing
    // would arrive while it is "in flight").
    if (!writing) {
      writing = true;
      setImmediate(() => void writeQueued());
    }
  });
}

async function writeQueued(): Promise<void> {
  try {
    while (queue.length > 0) {
      const batch = queue.length <= MAX_BATCH ? queue : queue.slice(0, MAX_BATCH);
      queue = queue.length <= MAX_BATCH ? [] : queue.slice(MAX_BATCH);
      await record(batch);
    }
  } finally {
    writing = false;
  }
  if (Date.now() - purgedAt > PURGE_EVERY_MS) {
    purgedAt = Date.now();
    void db().usedJti.deleteMany({ where: { expiresAt: { lt: new Date() } } }).catch(() => {});
  }
}

/** One statement for a batch; the first use of a key in the batch may be fresh, any repeat of it is not. */
async function record(batch: Pending[]): Promise<void> {
  const first = new Map<string, Pending>();
  for (const p of batch) if (!first.has(p.key)) first.set(p.key, p);
  let fresh: Set<string>;
  try {
    const values = [...first.values()].map((p) => Prisma.sql`(${p.key}, ${p.expiresAt})`);
    // A key already there stays used unless its JWT has expired: then the new JWT may take it.
    const rows = await db().$queryRaw<{ key: string }[]>`
      INSERT INTO "UsedJti" ("key", "expiresAt") VALUES ${Prisma.join(values)}
      ON CONFLICT ("key") DO UPDATE SET "expiresAt" = excluded."expiresAt" WHERE "UsedJti"."expiresAt" < ${new Date()}
      RETURNING "key"`;
    fresh = new Set(rows.map((r) => r.key));
  } catch (error) {
    for (const p of batch) p.fail(error);
    return;
  }
  for (const p of batch) p.settle(first.get(p.key) === p && fresh.has(p.key));
}
