import { describe, expect, it } from "vitest";
import { UsageError, closest, parseCommandArgs, splitCommand, wantsHelp, type CommandSpec } from "@/cli/args";
import type { CliIo } from "@/cli/io";
import { main } from "@/cli/main";
import { COMMANDS } from "@/cli/registry";
import { commandUsage, mainUsage } from "@/cli/usage";

const spec: CommandSpec = {
  name: "demo:create",
  summary: "a demo",
  synopsis: "--email <email> [--role admin|viewer] [--password <p> | --password-stdin] [--quiet]",
  options: {
    email: { type: "string", description: "email", required: true },
    role: { type: "string", description: "role", choices: ["admin", "viewer"] },
    password: { type: "string", description: "password" },
    "password-stdin": { type: "boolean", description: "stdin" },
    quiet: { type: "boolean", short: "q", description: "quiet" },
  },
  conflicts: [["password", "password-stdin"]],
  examples: [],
};

const positionalSpec: CommandSpec = {
  name: "demo:revoke",
  summary: "a demo",
  synopsis: "<id>",
  options: {},
  positionals: [{ name: "id", description: "the id", required: true }],
  examples: [],
};

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error("expected a UsageError");
}

describe("parseCommandArgs", () => {
  it("reads string, boolean and short options", () => {
    const args = parseCommandArgs(spec, ["--email", "a@b.example", "-q", "--role=viewer"]);
    expect(args.require("email")).toBe("a@b.example");
    expect(args.string("role")).toBe("viewer");
    expect(args.flag("quiet")).toBe(true);
    expect(args.flag("password-stdin")).toBe(false);
    expect(args.string("password")).toBeUndefined();
  });

  it("names a missing required option and the command to get help for", () => {
    const e = usageError(() => parseCommandArgs(spec, []));
    expect(e.message).toBe("demo:create: missing option --email");
    expect(e.command).toBe("demo:create");
  });

  it("names an unknown option", () => {
    expect(usageError(() => parseCommandArgs(spec, ["--email", "a@b.c", "--bogus"])).message).toBe(
      "demo:create: unknown option --bogus",
    );
    expect(usageError(() => parseCommandArgs(spec, ["--email", "a@b.c", "-z"])).message).toBe("demo:create: unknown option -z");
  });

  it("says when an option lacks its value", () => {
    expect(usageError(() => parseCommandArgs(spec, ["--email"])).message).toBe("demo:create: option --email needs a value");
    expect(usageError(() => parseCommandArgs(spec, ["--email", "--quiet"])).message).toMatch(/option --email needs a value/);
  });

  it("refuses a value on a boolean option", () => {
    expect(usageError(() => parseCommandArgs(spec, ["--email", "a@b.c", "--quiet=yes"])).message).toBe(
      "demo:create: option --quiet does not take a value",
    );
  });

  it("refuses an option given twice instead of silently keeping the last", () => {
    expect(usageError(() => parseCommandArgs(spec, ["--email", "a@b.c", "--email", "d@e.f"])).message).toBe(
      "demo:create: option --email is given more than once",
    );
  });

  it("refuses an empty value", () => {
    expect(usageError(() => parseCommandArgs(spec, ["--email", ""])).message).toBe("demo:create: option --email is empty");
  });

  it("checks allowed values", () => {
    expect(usageError(() => parseCommandArgs(spec, ["--email", "a@b.c", "--role", "root"])).message).toBe(
      'demo:create: --role must be one of admin, viewer; got "root"',
    );
  });

  it("refuses conflicting options", () => {
    expect(usageError(() => parseCommandArgs(spec, ["--email", "a@b.c", "--password", "x", "--password-stdin"])).message).toBe(
      "demo:create: give either --password or --password-stdin, not both",
    );
  });

  it("refuses positionals on a command that takes options only", () => {
    expect(usageError(() => parseCommandArgs(spec, ["--email", "a@b.c", "extra"])).message).toBe(
      'demo:create: unexpected argument "extra" (this command takes options only)',
    );
  });

  it("reads positionals, requires them and refuses extra ones", () => {
    expect(parseCommandArgs(positionalSpec, ["abc"]).positional(0)).toBe("abc");
    expect(usageError(() => parseCommandArgs(positionalSpec, [])).message).toBe("demo:revoke: missing argument <id>");
    expect(usageError(() => parseCommandArgs(positionalSpec, ["a", "b"])).message).toBe('demo:revoke: unexpected argument "b"');
    // "-" (read from stdin) is a positional, not an option.
    expect(parseCommandArgs(positionalSpec, ["-"]).positional(0)).toBe("-");
  });

  it("accepts a value that starts with a dash in --opt=value form", () => {
    expect(parseCommandArgs(spec, ["--email", "a@b.c", "--password=-starts-with-dash"]).string("password")).toBe(
      "-starts-with-dash",
    );
  });
});

describe("splitCommand and wantsHelp", () => {
  it("recognises help in every spelling", () => {
    expect(splitCommand(["help"])).toEqual({ kind: "help", command: undefined });
    expect(splitCommand(["--help"])).toEqual({ kind: "help", command: undefined });
    expect(splitCommand(["-h"])).toEqual({ kind: "help", command: undefined });
    expect(splitCommand(["help", "kek:rotate"])).toEqual({ kind: "help", command: "kek:rotate" });
    expect(splitCommand([])).toEqual({ kind: "none" });
    expect(splitCommand(["user:list", "-x"])).toEqual({ kind: "command", command: "user:list", rest: ["-x"] });
  });

  it("refuses an option before the command", () => {
    expect(usageError(() => splitCommand(["--email", "x"])).message).toBe("expected a command before the option --email");
  });

  it("finds --help and -h, but not after --", () => {
    expect(wantsHelp(["--email", "a", "--help"])).toBe(true);
    expect(wantsHelp(["-h"])).toBe(true);
    expect(wantsHelp(["--", "--help"])).toBe(false);
    expect(wantsHelp(["--email", "a"])).toBe(false);
  });

  it("suggests the closest command for a typo", () => {
    const names = COMMANDS.map((c) => c.name);
    expect(closest("tokn:create", names)).toBe("token:create");
    expect(closest("kek:rotat", names)).toBe("kek:rotate");
    expect(closest("completely-different", names)).toBeUndefined();
  });
});

describe("usage text", () => {
  it("lists every command with every option in its usage line", () => {
    const text = mainUsage(COMMANDS).join("\n");
    for (const c of COMMANDS) {
      expect(text).toContain(c.name);
      for (const option of Object.keys(c.options)) expect(c.synopsis, `${c.name} synopsis`).toContain(`--${option}`);
    }
    expect(text).toMatch(/Exit status: 0 success, 1 failure, 2 usage error/);
  });

  it("documents every option of a command, and the restart after kek:rotate", () => {
    for (const c of COMMANDS) {
      const text = commandUsage(c).join("\n");
      for (const option of Object.keys(c.options)) expect(text).toContain(`--${option}`);
      expect(text).toContain("--help");
    }
    const rotate = COMMANDS.find((c) => c.name === "kek:rotate")!;
    expect(commandUsage(rotate).join("\n")).toMatch(/RESTART every running Keyward server/);
  });
});

function bufferIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (l) => void stdout.push(l),
    err: (l) => void stderr.push(l),
    readLine: async () => undefined,
  };
}

// Usage errors stop before the environment or the database is touched, so
// main() can run here without either.
describe("main: usage errors and help", () => {
  it("prints the usage and exits 0 for --help", async () => {
    const io = bufferIo();
    expect(await main(["--help"], io)).toBe(0);
    expect(io.stdout.join("\n")).toContain("admin:create --email <email>");
    expect(io.stderr).toEqual([]);
  });

  it("prints a command's help for `<command> --help` and `help <command>`", async () => {
    for (const argv of [["token:create", "--help"], ["help", "token:create"], ["token:create", "--bogus", "-h"]]) {
      const io = bufferIo();
      expect(await main(argv, io)).toBe(0);
      expect(io.stdout[0]).toMatch(/^Usage: npm run keyward -- token:create --name <name>/);
    }
  });

  it("exits 2 naming an unknown command and pointing at --help", async () => {
    const io = bufferIo();
    expect(await main(["frobnicate"], io)).toBe(2);
    expect(io.stderr[0]).toBe('keyward: unknown command "frobnicate"');
    expect(io.stderr[1]).toMatch(/--help/);
    expect(io.stdout).toEqual([]);
  });

  it("exits 2 with no command", async () => {
    const io = bufferIo();
    expect(await main([], io)).toBe(2);
    expect(io.stderr[0]).toBe("keyward: no command given");
  });

  it("exits 2 naming a missing option and the command's --help", async () => {
    const io = bufferIo();
    expect(await main(["admin:create"], io)).toBe(2);
    expect(io.stderr).toEqual([
      "keyward: admin:create: missing option --email",
      "Run `npm run keyward -- admin:create --help` for usage.",
    ]);
  });
});
