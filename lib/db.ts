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

/** Opens a client for a database URL (used by the singleton, the CLI and tests). */
export function createDb(url: string): Db {
  if (providerFromUrl(url) === "sqlite") {
    return new SqliteClient({ adapter: new PrismaLibSql({ url: `file:${sqlitePath(url)}` }) });
  }
  return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
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
