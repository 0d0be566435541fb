import type { Command } from "@/cli/command";
import { describeDatabase, loadEnv } from "@/cli/database";
import { migrateDatabase } from "@/lib/db/migrate";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "Apply pending database migrations",
  synopsis: "",
  options: {},
  notes: [
    "Safe to run at any time: migrations already applied are skipped. Every other command applies pending migrations by itself, and the server does on start.",
  ],
  examples: ["migrate", "DATABASE_URL=postgresql://keyward@db/keyward migrate"],
  async run(_args, io) {
    const e = loadEnv(io);
    const result = await migrateDatabase(e.databaseUrl);
    const where = `${result.provider} database ${describeDatabase(e.databaseUrl)}`;
    if (result.applied.length === 0) {
      io.out(`${where}: database is up to date (${result.alreadyApplied} migration(s) applied earlier)`);
      return;
    }
    io.out(`${where}: applied ${result.applied.length} migration(s):`);
    for (const name of result.applied) io.out(`  ${name}`);
  },
};
