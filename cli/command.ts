import type { CommandSpec, ParsedArgs } from "@/cli/args";
import type { CliIo } from "@/cli/io";

/** A CLI command: its spec (usage, options) and what it does. Returns the exit status (default 0). */
export interface Command extends CommandSpec {
  run(args: ParsedArgs, io: CliIo): Promise<number | void>;
}
