import { env, type Env } from "@/lib/env";
import { migrateDatabase, type MigrateResult } from "@/lib/db/migrate";
import type { CliIo } from "@/cli/io";

/** The parsed environment, with a warning on stderr when this run generated the KEK. */
export function loadEnv(io: CliIo): Env {
  const e = env();
  if (e.kekSource === "generated") {
    io.err(
      `keyward: warning: no KEK was configured, so a new one was generated at ${e.kekPath}; back it up — without it, sealed private keys cannot be recovered`,
    );
  }
  return e;
}

/** A DATABASE_URL safe to print: the password, if any, is masked. */
export function describeDatabase(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/, "$1:***@");
}

/** Applies pending migrations, noting on stderr what was applied (stdout stays for the command's output). */
export async function migrateQuietly(e: Env, io: CliIo): Promise<MigrateResult> {
  const result = await migrateDatabase(e.databaseUrl);
  if (result.applied.length > 0) {
    io.err(`keyward: applied ${result.applied.length} pending migration(s) to ${describeDatabase(e.databaseUrl)}`);
  }
  return result;
}

/**
 * Everything a database command needs first: the environment, and a database
 * with every migration applied (so commands work on a fresh database).
 */
export async function openDatabase(io: CliIo): Promise<Env> {
  const e = loadEnv(io);
  await migrateQuietly(e, io);
  return e;
}
