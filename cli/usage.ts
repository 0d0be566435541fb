import { INVOCATION, type CommandSpec } from "@/cli/args";

/**
 * Usage texts, generated from the command specs so that the help can never
 * list an option the parser does not know (or miss one it does).
 */

const ENVIRONMENT = [
  "DATABASE_URL            file:<path> (SQLite, default file:./data/keyward.db) or postgresql://…",
  "KEYWARD_DATA_DIR        where the generated KEK and auth secret live (default ./data)",
  "KEYWARD_KEK             the key-encryption key (base64 or hex, 32 bytes), or",
  "KEYWARD_KEK_FILE        a file holding it (default: KEYWARD_DATA_DIR/kek, generated when absent)",
];

function optionLabel(name: string, o: CommandSpec["options"][string]): string {
  const long = `--${name}${o.type === "string" ? ` <${o.placeholder ?? "value"}>` : ""}`;
  return o.short ? `-${o.short}, ${long}` : `    ${long}`;
}

function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : `${indent}${l}`));
}

function usageLine(spec: CommandSpec): string {
  return `${spec.name}${spec.synopsis ? ` ${spec.synopsis}` : ""}`;
}

/** The top-level help: every command with its options, examples, environment and exit status. */
export function mainUsage(commands: readonly CommandSpec[]): string[] {
  const lines = [
    "keyward — operator commands for a Keyward installation (database, users, API tokens, KEK)",
    "",
    `Usage: ${INVOCATION} <command> [options]`,
    `       ${INVOCATION} <command> --help     details and examples of one command`,
    "",
    "Commands:",
  ];
  for (const c of commands) {
    lines.push(`  ${usageLine(c)}`);
    lines.push(...wrap(c.summary, 88, "      ").map((l, i) => (i === 0 ? `      ${l}` : l)));
  }
  lines.push(
    "",
    "Examples:",
    `  ${INVOCATION} migrate`,
    `  ${INVOCATION} admin:create --email ops@bank.example`,
    `  ${INVOCATION} user:reset-password --email ops@bank.example --password-stdin < new-password.txt`,
    `  TOKEN=$(npm run --silent keyward -- token:create --name ci --role operator --quiet)`,
    `  ${INVOCATION} kek:rotate        (then restart every running server)`,
    "",
    "Environment (read by every command except help):",
    ...ENVIRONMENT.map((l) => `  ${l}`),
    "",
    "Every command that uses the database applies pending migrations first, and is recorded in",
    'the audit log as actor "cli". Output goes to stdout, errors to stderr.',
    "Exit status: 0 success, 1 failure, 2 usage error (unknown command or option, missing option).",
  );
  return lines;
}

/** The help of one command. */
export function commandUsage(spec: CommandSpec): string[] {
  const lines = [`Usage: ${INVOCATION} ${usageLine(spec)}`, "", ...wrap(spec.summary, 92, ""), ""];
  const entries: [string, string][] = [
    ...(spec.positionals ?? []).map((p): [string, string] => [`    <${p.name}>`, p.description]),
    ...Object.entries(spec.options).map(([name, o]): [string, string] => [optionLabel(name, o), `${o.description}${o.required ? " (required)" : ""}`]),
    ["-h, --help", "show this help"],
  ];
  const width = Math.max(...entries.map(([label]) => label.length)) + 2;
  lines.push(spec.positionals?.length ? "Arguments and options:" : "Options:");
  for (const [label, description] of entries) {
    const wrapped = wrap(description, 96 - width, " ".repeat(width + 2));
    lines.push(`  ${label.padEnd(width)}${wrapped.join("\n")}`);
  }
  for (const note of spec.notes ?? []) lines.push("", ...wrap(note, 96, ""));
  lines.push("", "Examples:", ...spec.examples.map((ex) => (ex.includes(INVOCATION) || ex.includes("npm run") ? `  ${ex}` : `  ${prefixInvocation(ex)}`)));
  return lines;
}

/** Puts the invocation before the command name, keeping leading VAR=value assignments first. */
function prefixInvocation(example: string): string {
  const m = /^((?:[A-Z_][A-Z0-9_]*=\S+\s+)*)(.*)$/.exec(example);
  return `${m?.[1] ?? ""}${INVOCATION} ${m?.[2] ?? example}`;
}
