// Global setup of the `integration` vitest project: runs once, in the main
// vitest process, before any integration test file.
//
// - DATABASE_URL comes from scripts/test.mjs (SQLite temp file or a throwaway
//   PostgreSQL). When it is unset (e.g. `npm run test:integration` by hand) a
//   temp SQLite database is created here and removed afterwards.
// - Migrations are applied once to that database.
// - Test files read the URL from process.env.DATABASE_URL (workers are spawned
//   after this runs) or via `inject("databaseUrl")`.

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: "sqlite" | "postgresql";
  }
}

interface MigrateModule {
  migrateDatabase(url: string): Promise<{ applied: string[] }>;
}

function kindOf(url: string): "sqlite" | "postgresql" {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}

export default async function setup(project: TestProject): Promise<() => void> {
  let tempDir: string | undefined;
  let dataDir: string | undefined;
  if (!process.env.DATABASE_URL) {
    tempDir = mkdtempSync(path.join(os.tmpdir(), "keyward-it-"));
    process.env.DATABASE_URL = `file:${path.join(tempDir, "it.db")}`;
  }
  // Secrets for lib/env.ts, fixed for the whole run so every worker sees the
  // same KEK (the database's KEK canary is sealed under it).
  dataDir = mkdtempSync(path.join(os.tmpdir(), "keyward-it-data-"));
  process.env.KEYWARD_DATA_DIR = dataDir;
  process.env.KEYWARD_KEK ??= randomBytes(32).toString("base64url");
  process.env.AUTH_SECRET ??= randomBytes(48).toString("base64url");
  process.env.KEYWARD_PUBLIC_URL ??= "http://keyward.test";
  process.env.LOG_LEVEL ??= "warn";
  // The loopback JWKS servers of the tests listen on 127.0.0.2; every other
  // private or loopback address stays refused, as in production.
  process.env.KEYWARD_OUTBOUND_ALLOW ??= "127.0.0.2";
  // The tests drive the rotation scheduler themselves (runRotationTick), as a
  // cron deployment would; no process here runs its loop.
  process.env.KEYWARD_SCHEDULER ??= "off";
  const url = process.env.DATABASE_URL;
  const kind = kindOf(url);
  process.env.KEYWARD_TEST_DB ??= kind;

  // Specifier in a variable: type-checks whether or not lib/db/migrate.ts
  // exists yet; vitest resolves it relative to this file at runtime.
  const specifier = "../../lib/db/migrate";
  const { migrateDatabase } = (await import(/* @vite-ignore */ specifier)) as MigrateModule;
  const { applied } = await migrateDatabase(url);
  console.log(
    `[integration] ${kind} database ready (${applied.length} migration${applied.length === 1 ? "" : "s"} applied)`,
  );

  project.provide("databaseUrl", url);
  project.provide("databaseKind", kind);

  return () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (tempDir) {
      rmSync(tempDir, { recursive: true, force: true });
    }
  };
}
