import type { Command } from "@/cli/command";
import { openDatabase } from "@/cli/database";
import { runRotationTick } from "@/lib/rotation/scheduler";

export const rotateTickCommand: Command = {
  name: "rotate-tick",
  summary: "Run the rotation scheduler once: stage, activate and remove keys as each tenant's policy says",
  synopsis: "",
  options: {},
  notes: [
    "For deployments that run the scheduler from cron (KEYWARD_SCHEDULER=off on every instance): run it every minute.",
    "Safe to run at any time and on several hosts at once: each tenant's transitions run under a database lock and are done once.",
    "Exits 1 when a tenant's transitions failed (they are retried on the next run).",
  ],
  examples: ["rotate-tick", "DATABASE_URL=postgresql://keyward@db/keyward rotate-tick"],
  async run(_args, io) {
    await openDatabase(io);
    const report = await runRotationTick();
    if (report.transitions.length === 0 && report.errors.length === 0) io.out("nothing due");
    for (const t of report.transitions) io.out(`${t.tenant}: ${t.type} ${t.kid}${t.appId ? ` (app ${t.appId})` : ""}: ${t.why}`);
    for (const e of report.errors) io.err(`${e.tenant}: failed: ${e.message}`);
    return report.errors.length > 0 ? 1 : 0;
  },
};
