import { disconnectDb } from "@/lib/db";
import { UsageError, closest, parseCommandArgs, splitCommand, wantsHelp } from "@/cli/args";
import type { Command } from "@/cli/command";
import { EXIT_OK, reportError } from "@/cli/errors";
import type { CliIo } from "@/cli/io";
import { COMMANDS, findCommand } from "@/cli/registry";
import { commandUsage, mainUsage } from "@/cli/usage";

function unknownCommand(name: string): UsageError {
  const guess = closest(name, COMMANDS.map((c) => c.name));
  return new UsageError(`unknown command "${name}"${guess ? ` (did you mean "${guess}"?)` : ""}`);
}

/** Runs the CLI with `argv` (without node and the script) and answers the exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command | undefined;
  try {
    const top = splitCommand(argv);
    if (top.kind === "none") throw new UsageError("no command given");
    if (top.kind === "help") {
      if (top.command === undefined) {
        mainUsage(COMMANDS).forEach((l) => io.out(l));
        return EXIT_OK;
      }
      const target = findCommand(top.command);
      if (!target) throw unknownCommand(top.command);
      commandUsage(target).forEach((l) => io.out(l));
      return EXIT_OK;
    }
    command = findCommand(top.command);
    if (!command) throw unknownCommand(top.command);
    if (wantsHelp(top.rest)) {
      commandUsage(command).forEach((l) => io.out(l));
      return EXIT_OK;
    }
    const args = parseCommandArgs(command, top.rest);
    return (await command.run(args, io)) ?? EXIT_OK;
  } catch (error) {
    return reportError(error, io, command);
  } finally {
    try {
      await disconnectDb();
    } catch {
      // Nothing useful to add to the command's own outcome.
    }
  }
}

