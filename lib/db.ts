import type { Client as LibsqlClient, Config as LibsqlConfig } from "@libsql/client";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "@/lib/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "@/lib/generated/postgresql/client";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { providerFromUrl, sqlitePath } from "@/lib/db/provider";
import { env } from "@/lib/env";

/**
 * The Prisma client singleton.
 *
 * Both providers are generated from one schema, so their query APIs are the same;
 * the SQLite client's types stand for both. The instance lives on `globalThis`
 * because the custom server and Next's server bundle load this module separately
 * in one process and must share one connection pool.
 */
export type Db = SqliteClient;
/** A client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;

const globalForDb = globalThis as unknown as { __keywardDb?: { url: string; client: Db } };

/**
 * How long opening a PostgreSQL connection may take. node-postgres waits
 * forever by default: a database host that drops packets (not one that
 * refuses) would hold every request, the health probe included, for as long
 * as the operating system keeps trying.
 */
export const PG_CONNECT_TIMEOUT_MS = 5_000;
/**
 * How long a PostgreSQL query may go unanswered. A server that hangs (frozen,
 * or cut off after the connection was made) would otherwise hold a request
 * for as long as TCP keeps the connection; no query Keyward makes takes
 * anywhere near this, and Prisma's transactions end after 5 s anyway.
 */
export const PG_QUERY_TIMEOUT_MS = 10_000;

/** How long a SQLite statement waits for another process's lock before it fails. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/**
 * The libsql adapter with a busy timeout on every connection. libsql opens its
 * connections with none, so a statement that meets another process's lock on
 * the file (the CLI's `rotate-tick` from cron, a second server) fails at once
 * with SQLITE_BUSY, and a failure inside a transaction leaves the adapter
 * answering "Operation has timed out" for a while. It also opens a new
 * connection after every transaction: the pragma goes on each one.
 * Within one process the adapter runs one statement or transaction at a time.
 */
class PrismaLibSqlWithBusyTimeout extends PrismaLibSql {
  override createClient(config: LibsqlConfig): LibsqlClient {
    const client = super.createClient(config);
    let fresh = true;
    const prepare = async () => {
      if (!fresh) return;
      await client.execute(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      // Write-ahead log: a commit appends to the log instead of rewriting the
      // file with an fsync each time (the token endpoint's jti insert blocked
      // the event loop ~2 ms per commit in rollback-journal mode); readers do
      // not block the writer. NORMAL sync stays durable across process
      // crashes (a power loss may lose the last commits, never corrupt).
      await client.execute("PRAGMA journal_mode = WAL");
      await client.execute("PRAGMA synchronous = NORMAL");
      fresh = false;
    };
    const opensConnection = new Set<PropertyKey>(["execute", "batch", "executeMultiple", "migrate", "transaction"]);
    return new Proxy(client, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        const method = value as (...args: unknown[]) => unknown;
        if (opensConnection.has(prop)) {
          return async (...args: unknown[]) => {
            await prepare();
            try {
              // BEGIN IMMEDIATE rather than the adapter's DEFERRED: a transaction
              // takes the write lock first (waiting its turn) instead of reading
              // and then finding another process's write lock in its way, which
              // SQLite answers with SQLITE_BUSY at once whatever the timeout.
              if (prop === "transaction") return await target.transaction("write");
              return await method.apply(target, args);
            } finally {
              // transaction() hands its connection over; the next call opens another.
              if (prop === "transaction") fresh = true;
            }
          };
        }
        if (prop === "reconnect" || prop === "close") fresh = true;
        return method.bind(target);
      },
    });
  }
}

/** Opens a client for a database URL (used by the singleton, the CLI and tests). */
export function createDb(url: string): Db {
  if (providerFromUrl(url) === "sqlite") {
    return new SqliteClient({ adapter: new PrismaLibSqlWithBusyTimeout({ url: `file:${sqlitePath(url)}` }) });
  }
  return new PostgresClient({ adapter: new PrismaPg({ connectionString: url, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS, query_timeout: PG_QUERY_TIMEOUT_MS }) }) as unknown as Db;
}

/** The shared client for `DATABASE_URL`. */
export function db(): Db {
  const url = env().databaseUrl;
  if (!globalForDb.__keywardDb || globalForDb.__keywardDb.url !== url) {
    globalForDb.__keywardDb = { url, client: createDb(url) };
  }
  return globalForDb.__keywardDb.client;
}

/** Closes the shared client (CLI commands and tests, before exit). */
export async function disconnectDb(): Promise<void> {
  const current = globalForDb.__keywardDb;
  globalForDb.__keywardDb = undefined;
  await current?.client.$disconnect();
}
