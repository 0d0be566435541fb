// Global setup of the `multi-instance` vitest project: runs once, in the main
// vitest process, before any *.mi.test.ts file.
//
// - The app is built when its sources are newer than .next: `node
//   scripts/start.mjs --no-install --build-only`, the check `npm start`,
//   `npm run build` and the e2e server make, without starting a server.
// - The database: KEYWARD_MI_DATABASE_URL (an empty PostgreSQL database, set
//   by scripts/test.mjs, which owns that throwaway cluster), else a throwaway
//   cluster started here and stopped afterwards. It is left empty: the servers
//   migrate and bootstrap it themselves, both at once, as two replicas would.
// - Test files get the URL with `inject("miDatabaseUrl")`. process.env is not
//   touched, so running every project in one vitest process stays possible.

import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { ensurePostgresBinaries } from "../../scripts/lib/ensure-deps.mjs";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/lib/postgres.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    miDatabaseUrl: string;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Generates the Prisma clients and builds the app when stale, as `npm run build` does. */
function buildIfStale(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/start.mjs", "--no-install", "--build-only"], {
      cwd: ROOT,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`scripts/start.mjs --build-only failed (${signal ?? code})`))));
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  await buildIfStale();
  console.log(`[multi-instance] production build ready (${Math.round((Date.now() - started) / 1000)} s)`);

  let cluster: ThrowawayPostgres | undefined;
  let url = process.env.KEYWARD_MI_DATABASE_URL;
  if (!url) {
    cluster = await startThrowawayPostgres({ binDir: ensurePostgresBinaries() });
    url = cluster.url();
  }
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`KEYWARD_MI_DATABASE_URL must be a PostgreSQL URL; got ${url}`);
  console.log(`[multi-instance] database ${url}`);
  project.provide("miDatabaseUrl", url);

  return async () => {
    await cluster?.stop();
  };
}
