import pg from "pg";
import { providerFromUrl } from "@/lib/db/provider";

/** Advisory lock id of the first-start setup (the migrations use Prisma's, 72707369). */
const STARTUP_LOCK_ID = 72707370;

/**
 * Runs `fn` while holding a database-wide lock, so instances that start
 * together on one PostgreSQL database do their first-start setup one after
 * the other: the second then finds the KEK canary, the default tenant and its
 * key, the admin and the token in place instead of creating them twice (and
 * failing on a unique index or a refused activation). The lock lives on a
 * connection of its own, outside Prisma's pool, for as long as `fn` runs.
 * SQLite serializes writers by itself and runs `fn` as is.
 */
export async function withStartupLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  if (providerFromUrl(url) !== "postgresql") return fn();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [STARTUP_LOCK_ID]);
    return await fn();
  } finally {
    // Closing the connection releases the lock too; unlock first to be explicit.
    await client.query("SELECT pg_advisory_unlock($1)", [STARTUP_LOCK_ID]).catch(() => {});
    await client.end().catch(() => {});
  }
}
