import { EnvError } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { INVOCATION, UsageError, type CommandSpec } from "@/cli/args";
import type { CliIo } from "@/cli/io";

/** A failure the command detected itself (exit status 1), with optional follow-up lines. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = "CliFailure";
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * Prints an error as `keyward: <message>` on stderr and answers the exit status:
 * 2 for usage errors (with a pointer to --help), 1 for everything else.
 */
export function reportError(error: unknown, io: CliIo, spec?: CommandSpec): number {
  if (error instanceof UsageError) {
    io.err(`keyward: ${error.message}`);
    io.err(`Run \`${INVOCATION} ${error.command ? `${error.command} --help` : "--help"}\` for usage.`);
    return EXIT_USAGE;
  }
  if (error instanceof EnvError) {
    io.err(`keyward: ${error.message}`);
    return EXIT_FAILURE;
  }
  if (error instanceof CliFailure) {
    io.err(`keyward: ${error.message}`);
    for (const line of error.details) io.err(line);
    return EXIT_FAILURE;
  }
  if (isAppError(error)) {
    const fieldErrors = error.fieldErrors ?? [];
    const name = (path: string) => spec?.fields?.[path] ?? path;
    // A validation message repeats the field errors with the service's field
    // names; print them once, named as the options the operator typed.
    io.err(`keyward: ${error.code === "validation_failed" && fieldErrors.length > 0 ? "invalid input" : error.message}`);
    for (const f of fieldErrors) io.err(`  ${name(f.path)}: ${f.message}`);
    return EXIT_FAILURE;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`keyward: ${message}`);
  return EXIT_FAILURE;
}
