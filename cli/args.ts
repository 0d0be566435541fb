import { parseArgs } from "node:util";

/**
 * Argument parsing for the operator CLI: `node:util` `parseArgs` (strict) plus
 * what it lacks — required options, allowed values, mutually exclusive options,
 * positionals by name — all reported as a UsageError (exit status 2).
 */

/** The invocation shown in messages and usage text. */
export const INVOCATION = "npm run keyward --";

/** A mistake in how the command was called (exit status 2). */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose `--help` to suggest; none for the top-level usage. */
    readonly command?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** Placeholder shown in usage, e.g. "email" for `--email <email>`. */
  placeholder?: string;
  description: string;
  required?: boolean;
  /** Allowed values of a string option. */
  choices?: readonly string[];
}

export interface PositionalSpec {
  name: string;
  description: string;
  required: boolean;
}

export interface CommandSpec {
  name: string;
  /** One line, shown in the command list. */
  summary: string;
  /** Options and positionals as written in the usage line, after the command name. */
  synopsis: string;
  options: Record<string, OptionSpec>;
  positionals?: PositionalSpec[];
  /** Pairs of options that cannot be given together. */
  conflicts?: readonly (readonly [string, string])[];
  /** Service field paths → the option that sets them, to word field errors as options. */
  fields?: Record<string, string>;
  /** Paragraphs shown in the command's help, after the options. */
  notes?: string[];
  examples: string[];
}

/** The parsed arguments of one command. */
export class ParsedArgs {
  constructor(
    readonly command: string,
    private readonly values: Record<string, string | boolean | undefined>,
    readonly positionals: string[],
  ) {}

  /** A string option's value, if given. */
  string(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === "string" ? v : undefined;
  }

  /** A string option's value; a UsageError when it is missing. */
  require(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw new UsageError(`${this.command}: missing option --${name}`, this.command);
    return v;
  }

  /** Whether a boolean option was given. */
  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** The positional at `index`, if given. */
  positional(index: number): string | undefined {
    return this.positionals[index];
  }
}

const HELP_FLAGS = new Set(["--help", "-h"]);

/** Whether the arguments ask for help (before any `--` terminator). */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === "--") return false;
    if (HELP_FLAGS.has(arg)) return true;
  }
  return false;
}

/** The first argument that names a command, and the rest. */
export type TopLevel =
  | { kind: "help"; command?: string }
  | { kind: "command"; command: string; rest: string[] }
  | { kind: "none" };

/** Splits `keyward <command> [args…]`, recognising `help [command]`, `--help` and `-h`. */
export function splitCommand(argv: readonly string[]): TopLevel {
  const [first, ...rest] = argv;
  if (first === undefined) return { kind: "none" };
  if (first === "help" || HELP_FLAGS.has(first)) return { kind: "help", command: rest[0] };
  if (first.startsWith("-")) throw new UsageError(`expected a command before the option ${first}`);
  return { kind: "command", command: first, rest };
}

/**
 * Parses a command's arguments against its spec.
 * @throws UsageError naming the unknown, missing, repeated or conflicting option.
 */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const cmd = spec.name;
  const positionals = spec.positionals ?? [];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        Object.entries(spec.options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
      ),
      strict: true,
      allowPositionals: positionals.length > 0,
      tokens: true,
    });
  } catch (error) {
    throw new UsageError(`${cmd}: ${describeParseError(error, spec)}`, cmd);
  }

  // parseArgs keeps the last of repeated options silently; a repeated --email is
  // more likely a mistake than an intent.
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== "option") continue;
    if (seen.has(token.name)) throw new UsageError(`${cmd}: option --${token.name} is given more than once`, cmd);
    seen.add(token.name);
  }

  const values = parsed.values as Record<string, string | boolean | undefined>;
  for (const [name, o] of Object.entries(spec.options)) {
    const v = values[name];
    if (o.required && v === undefined) throw new UsageError(`${cmd}: missing option --${name}`, cmd);
    if (typeof v === "string" && v.trim() === "") throw new UsageError(`${cmd}: option --${name} is empty`, cmd);
    if (typeof v === "string" && o.choices && !o.choices.includes(v)) {
      throw new UsageError(`${cmd}: --${name} must be one of ${o.choices.join(", ")}; got "${v}"`, cmd);
    }
  }
  for (const [a, b] of spec.conflicts ?? []) {
    if (values[a] !== undefined && values[b] !== undefined) {
      throw new UsageError(`${cmd}: give either --${a} or --${b}, not both`, cmd);
    }
  }

  const given = parsed.positionals;
  if (given.length > positionals.length) {
    const extra = given[positionals.length];
    throw new UsageError(`${cmd}: unexpected argument "${extra}"`, cmd);
  }
  positionals.forEach((p, i) => {
    if (p.required && given[i] === undefined) throw new UsageError(`${cmd}: missing argument <${p.name}>`, cmd);
  });
  return new ParsedArgs(cmd, values, given);
}

function describeParseError(error: unknown, spec: CommandSpec): string {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${quoted ?? message}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument "${quoted ?? message}"${spec.positionals?.length ? "" : " (this command takes options only)"}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      // Node words it "'--email <value>'" or, for an option with a short form, "'-q, --quiet'".
      const option = /--[\w-]+/.exec(quoted ?? "")?.[0] ?? quoted ?? "";
      if (/argument missing/.test(message)) return `option ${option} needs a value`;
      if (/does not take an argument/.test(message)) return `option ${option} does not take a value`;
      if (/ambiguous/.test(message)) return `option ${option} needs a value; to pass a value starting with "-", write ${option}=<value>`;
      return message;
    }
    default:
      return message;
  }
}

/** The closest known name within an edit distance of 3, to suggest for a typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d <= 3 && (!best || d < best.d)) best = { name: k, d };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
