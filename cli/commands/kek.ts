import type { Command } from "@/cli/command";
import { openDatabase } from "@/cli/database";
import { CliFailure } from "@/cli/errors";
import type { CliIo } from "@/cli/io";
import {
  assertNewKekFileGiven,
  candidateKeks,
  commitStaged,
  dataDirKekPath,
  describeKekSource,
  discardStaged,
  planKekRotation,
  recoveryHint,
  stageNewKek,
  stagedPath,
  type KekConfig,
} from "@/cli/kek-files";
import { CLI_ACTOR } from "@/lib/auth/roles";
import { kekId } from "@/lib/crypto/seal";
import { checkKek, resealAll } from "@/lib/secrets/kek";

/**
 * checkKek, and when the configured KEK does not open the database, a look at
 * the KEK files an interrupted rotation may have left, to say which one does.
 */
async function checkKekOrExplain(config: KekConfig, extraFiles: string[] = []): Promise<"sealed-canary" | "ok"> {
  try {
    return await checkKek(config.kek);
  } catch (error) {
    const details: string[] = [];
    for (const candidate of candidateKeks(config, extraFiles)) {
      // The canary exists (that is why checkKek could fail), so this only reads.
      const opens = await checkKek(candidate.kek).then(
        () => true,
        () => false,
      );
      if (opens) {
        details.push(...recoveryHint(config, candidate.path, kekId(candidate.kek)));
        break;
      }
    }
    throw new CliFailure((error as Error).message, details);
  }
}

export const kekCheckCommand: Command = {
  name: "kek:check",
  summary: "Check that the configured KEK opens this database's sealed values; print its id and source",
  synopsis: "",
  options: {},
  notes: ["On a database with no sealed values yet, seals the check value with the configured KEK. Exits 1 when the KEK does not fit the database."],
  examples: ["kek:check", "KEYWARD_KEK_FILE=/run/secrets/keyward-kek kek:check"],
  async run(_args, io) {
    const e = await openDatabase(io);
    const result = await checkKekOrExplain(e);
    io.out(`KEK ${kekId(e.kek)} from ${describeKekSource(e)}`);
    io.out(result === "ok" ? "it opens this database's sealed values" : "this database had no sealed values yet; the check value is now sealed with it");
  },
};

export const kekRotateCommand: Command = {
  name: "kek:rotate",
  summary: "Re-seal every sealed value under a new KEK and put the new KEK in place",
  synopsis: "[--new-kek-file <path>]",
  options: {
    "new-kek-file": {
      type: "string",
      placeholder: "path",
      description:
        "file holding the new KEK: read when it exists, else created (mode 0600) with a generated one. Required when the KEK comes from KEYWARD_KEK or KEYWARD_KEK_FILE",
    },
  },
  notes: [
    "With the KEK in the data dir (KEYWARD_DATA_DIR/kek, the default): writes the new KEK to kek.next, re-seals every value in one transaction, then renames kek.next over kek. The old KEK is not kept.",
    "With KEYWARD_KEK or KEYWARD_KEK_FILE: writes the new KEK to --new-kek-file and prints how to point Keyward at it before the next start.",
    "The current KEK must open the database first (as in kek:check). Back it up beforehand if you may need to restore a database backup taken before the rotation.",
    "RESTART every running Keyward server after a rotation: they hold the old KEK in memory and cannot open values sealed under the new one.",
  ],
  examples: ["kek:rotate", "KEYWARD_KEK_FILE=/run/secrets/kek-2025 kek:rotate --new-kek-file /run/secrets/kek-2026"],
  async run(args, io) {
    const e = await openDatabase(io);
    const newKekFile = args.string("new-kek-file");
    assertNewKekFileGiven(e, newKekFile);
    // Check before planning: a staged file from an interrupted rotation means
    // something else when the current KEK no longer opens the database.
    await checkKekOrExplain(e, newKekFile !== undefined ? [newKekFile] : []);
    const plan = planKekRotation(e, newKekFile);

    stageNewKek(plan);
    let moved: Awaited<ReturnType<typeof resealAll>>;
    try {
      moved = await resealAll(CLI_ACTOR, e.kek, plan.newKek);
    } catch (error) {
      discardStaged(plan);
      throw error;
    }
    try {
      commitStaged(plan);
    } catch (error) {
      // The database is committed under the new KEK: the staged files are now
      // the only copies of the KEK it needs. Never delete them here.
      throw new CliFailure(`the values are re-sealed under the new KEK ${plan.newKekId}, but putting its file in place failed: ${(error as Error).message}`, [
        ...plan.destinations.map((f) => `Move it in place by hand: mv ${stagedPath(f)} ${f}`),
        "Until then, Keyward cannot open this database's sealed values.",
      ]);
    }
    report(io, e, plan, moved);
  },
};

function report(
  io: CliIo,
  e: KekConfig,
  plan: ReturnType<typeof planKekRotation>,
  moved: Awaited<ReturnType<typeof resealAll>>,
): void {
  const perField = Object.entries(moved.fields)
    .map(([name, n]) => `${name}: ${n}`)
    .join(", ");
  io.out(`re-sealed ${moved.resealed} value(s) under the new KEK${perField ? ` (${perField})` : ""}`);
  io.out(`old KEK: ${plan.oldKekId} (from ${describeKekSource(e)})`);
  const newFile = plan.newKekFile;
  if (plan.mode === "data-dir") {
    const kekPath = dataDirKekPath(e.dataDir);
    io.out(`new KEK: ${plan.newKekId}, now in ${kekPath} (mode 0600); the old KEK was replaced and no copy was kept`);
    if (newFile && plan.newKekFrom === "generated") io.out(`         also written to ${newFile} (mode 0600)`);
    if (newFile && plan.newKekFrom === "file") io.out(`         (read from ${newFile})`);
    io.out(`Back up ${kekPath} now.`);
  } else {
    const file = newFile ?? "";
    io.out(`new KEK: ${plan.newKekId}, in ${file}${plan.newKekFrom === "generated" ? " (mode 0600)" : ""}`);
    io.out("");
    if (e.kekSource === "env") {
      io.out("KEYWARD_KEK still holds the OLD KEK, and it takes precedence over KEYWARD_KEK_FILE. Before the next start, remove it and point Keyward at the new file:");
      io.out("  unset KEYWARD_KEK");
      io.out(`  export KEYWARD_KEK_FILE=${file}`);
      io.out(`(or set KEYWARD_KEK to the contents of ${file}), wherever the server's environment is defined.`);
    } else {
      io.out(`KEYWARD_KEK_FILE still points at ${e.kekPath}, which holds the OLD KEK. Before the next start, point it at the new file:`);
      io.out(`  export KEYWARD_KEK_FILE=${file}`);
      io.out(`wherever the server's environment is defined, then destroy ${e.kekPath}: it no longer opens this database.`);
    }
  }
  io.out("");
  io.out("Restart every running Keyward server now: they still hold the old KEK and cannot open values sealed under the new one.");
}
