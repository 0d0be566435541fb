import { randomBytes } from "node:crypto";
import { passwordProblem } from "@/lib/auth/password";
import { UsageError, type ParsedArgs } from "@/cli/args";
import { CliFailure } from "@/cli/errors";
import type { CliIo } from "@/cli/io";

/**
 * A random password (144 bits, 24 base64url characters) that the password
 * rules accept for this email. The rules refuse a password containing the
 * email's local part, which a short local part ("a@…") makes likely by chance,
 * so a refused candidate is simply drawn again.
 */
export function generatePassword(email: string): string {
  for (let i = 0; i < 100; i++) {
    const candidate = randomBytes(18).toString("base64url");
    if (passwordProblem(candidate, email) === null) return candidate;
  }
  throw new CliFailure(`could not generate a password that the password rules accept for ${email}; give one with --password-stdin`);
}

/** The password from --password or --password-stdin, or a generated one. */
export async function passwordFromArgs(
  args: ParsedArgs,
  io: CliIo,
  email: string,
): Promise<{ password: string; generated: boolean }> {
  const given = args.string("password");
  if (given !== undefined) return { password: given, generated: false };
  if (args.flag("password-stdin")) {
    const line = await io.readLine("Password: ");
    if (line === undefined || line === "") {
      throw new UsageError(`${args.command}: --password-stdin was given but stdin held no password`, args.command);
    }
    return { password: line, generated: false };
  }
  return { password: generatePassword(email), generated: true };
}

/** The --password / --password-stdin options shared by the commands that set a password. */
export const PASSWORD_OPTIONS = {
  password: {
    type: "string",
    placeholder: "password",
    description: "the password (at least 12 characters); visible in the process list and shell history — prefer --password-stdin",
  },
  "password-stdin": {
    type: "boolean",
    description: "read the password from the first line of stdin (hidden prompt on a terminal)",
  },
} as const;

export const PASSWORD_CONFLICTS = [["password", "password-stdin"]] as const;
