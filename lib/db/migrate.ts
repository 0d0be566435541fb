import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createClient, type Client as LibsqlClient } from "@libsql/client";
import pg from "pg";
import { providerFromUrl, sqlitePath, type Provider } from "./provider.ts";

/**
 * Keyward's migration runner.
 *
 * Prisma's `migrate deploy` needs a native schema engine that offline machines
 * cannot download, so we apply `prisma/migrations/<provider>/*\/migration.sql`
 * ourselves and record each in `_prisma_migrations` exactly as Prisma does
 * (uuid id, SHA-256 hex checksum of the file, timestamps, one applied step), so
 * Prisma's own tooling accepts databases migrated this way.
 */

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  provider: Provider;
  applied: string[];
  alreadyApplied: number;
}

const PG_LOCK_ID = 72707369; // the advisory lock id Prisma uses, so Keyward and Prisma never migrate at once

function repoRoot(): string {
  // Works from the repo root (npm scripts, tests) and from the built server.
  return process.env.KEYWARD_ROOT ?? process.cwd();
}

/** The migrations folder of a provider. */
export function migrationsDir(provider: Provider): string {
  return path.join(repoRoot(), "prisma", "migrations", provider);
}

/** The migrations on disk for a provider, in the order they apply. */
export function listMigrations(provider: Provider): MigrationFile[] {
  const dir = migrationsDir(provider);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const bytes = fs.readFileSync(path.join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** Checks the recorded history against the files and returns what is left to apply. */
function pending(files: MigrationFile[], rows: AppliedRow[]): MigrationFile[] {
  const live = rows.filter((r) => r.rolled_back_at === null || r.rolled_back_at === undefined);
  const failed = live.find((r) => r.finished_at === null || r.finished_at === undefined);
  if (failed) {
    throw new Error(
      `migration ${failed.migration_name} started but did not finish on this database; fix the database by hand, then mark it rolled back or applied`,
    );
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  const unknown = live.filter((r) => !byName.has(r.migration_name)).map((r) => r.migration_name);
  if (unknown.length > 0) {
    throw new Error(
      `the database has migrations this version of Keyward does not know (${unknown.join(", ")}): is an older version running against a newer database?`,
    );
  }
  const done = new Set(live.map((r) => r.migration_name));
  for (const r of live) {
    const file = byName.get(r.migration_name);
    if (file && file.checksum !== r.checksum) {
      throw new Error(`migration ${r.migration_name} was changed after it was applied (checksum differs); migrations must never be edited once applied`);
    }
  }
  return files.filter((f) => !done.has(f.name));
}

async function migrateSqlite(url: string, files: MigrationFile[]): Promise<MigrateResult> {
  const file = sqlitePath(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const client: LibsqlClient = createClient({ url });
  try {
    await client.execute("PRAGMA busy_timeout = 10000");
    await client.execute(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`);
    const rows = (await client.execute(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`))
      .rows as unknown as AppliedRow[];
    const todo = pending(files, rows);
    for (const m of todo) {
      const id = randomUUID();
      const started = Date.now();
      await client.execute({
        sql: `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)`,
        args: [id, m.checksum, m.name, started],
      });
      // SQLite migrations may toggle PRAGMA foreign_keys, which is a no-op inside a
      // transaction, so (like Prisma) the script runs as is.
      await client.executeMultiple(m.sql);
      await client.execute({
        sql: `UPDATE "_prisma_migrations" SET finished_at = ?, applied_steps_count = 1 WHERE id = ?`,
        args: [Date.now(), id],
      });
    }
    return { provider: "sqlite", applied: todo.map((m) => m.name), alreadyApplied: files.length - todo.length };
  } finally {
    client.close();
  }
}

async function migratePostgres(url: string, files: MigrationFile[]): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PG_LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
    );
    const todo = pending(files, rows);
    for (const m of todo) {
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed and was rolled back: ${(error as Error).message}`);
      }
    }
    return { provider: "postgresql", applied: todo.map((m) => m.name), alreadyApplied: files.length - todo.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PG_LOCK_ID]).catch(() => {});
    await client.end();
  }
}

/**
 * Applies every pending migration to the database at `url`; safe to run on every start.
 * @example
 * const { applied } = await migrateDatabase("file:./data/keyward.db");
 */
export async function migrateDatabase(url: string): Promise<MigrateResult> {
  const provider = providerFromUrl(url);
  const files = listMigrations(provider);
  if (files.length === 0) throw new Error(`no migrations found in ${migrationsDir(provider)}`);
  return provider === "sqlite" ? migrateSqlite(url, files) : migratePostgres(url, files);
}
