import type { Command } from "@/cli/command";
import { openDatabase } from "@/cli/database";
import { CliFailure } from "@/cli/errors";
import { table } from "@/cli/io";
import { PASSWORD_CONFLICTS, PASSWORD_OPTIONS, passwordFromArgs } from "@/cli/passwords";
import { CLI_ACTOR } from "@/lib/auth/roles";
import { clearLoginThrottle } from "@/lib/auth/sign-in";
import { findUserByEmail, listUsers, setUserPassword } from "@/lib/auth/users";

const EMAIL_OPTION = {
  email: { type: "string", placeholder: "email", description: "the user's email", required: true },
} as const;

export const userResetPasswordCommand: Command = {
  name: "user:reset-password",
  summary: "Set a user's password (generated and printed when not given) and lift the account's sign-in lock",
  synopsis: "--email <email> [--password <password> | --password-stdin]",
  options: { ...EMAIL_OPTION, ...PASSWORD_OPTIONS },
  conflicts: PASSWORD_CONFLICTS,
  fields: { email: "--email", password: "--password" },
  notes: [
    "Also clears the account's failed sign-in count and lock, and ends the user's existing console sessions. A disabled account stays disabled.",
  ],
  examples: ["user:reset-password --email ops@bank.example", "printf '%s\\n' \"$NEW_PASSWORD\" | npm run keyward -- user:reset-password --email ops@bank.example --password-stdin"],
  async run(args, io) {
    const email = args.require("email").trim().toLowerCase();
    const { password, generated } = await passwordFromArgs(args, io, email);
    await openDatabase(io);
    const user = await setUserPassword(CLI_ACTOR, email, password);
    io.out(`password set for ${user.email}; sign-in lock cleared`);
    if (generated) io.out(`password (shown once, store it now): ${password}`);
    if (user.status === "disabled") io.out(`note: ${user.email} is disabled; an admin must re-enable the account before it can sign in`);
  },
};

export const userUnlockCommand: Command = {
  name: "user:unlock",
  summary: "Lift a user's sign-in lock after too many failed attempts (the password is unchanged)",
  synopsis: "--email <email>",
  options: { ...EMAIL_OPTION },
  fields: { email: "--email" },
  notes: [
    "Clears the account's lock and failed-attempt count. A lock on a client address (many failures from one IP) is not affected; it ends by itself after 15 minutes.",
  ],
  examples: ["user:unlock --email ops@bank.example"],
  async run(args, io) {
    const email = args.require("email").trim().toLowerCase();
    await openDatabase(io);
    const user = await findUserByEmail(CLI_ACTOR, email);
    if (!user) throw new CliFailure(`no user with email ${email}`);
    await clearLoginThrottle(CLI_ACTOR, email);
    io.out(`sign-in lock cleared for ${email}`);
    if (user.status === "disabled") io.out(`note: ${email} is disabled; an admin must re-enable the account before it can sign in`);
  },
};

export const userListCommand: Command = {
  name: "user:list",
  summary: "List the console users (email, role, status)",
  synopsis: "",
  options: {},
  examples: ["user:list"],
  async run(_args, io) {
    await openDatabase(io);
    const users = await listUsers(CLI_ACTOR);
    if (users.length === 0) {
      io.out("no users (run `bootstrap` or `admin:create`)");
      return;
    }
    const rows = users.map((u) => [u.email, u.role, u.status, u.name, u.lastLoginAt ?? "never"]);
    for (const line of table(["EMAIL", "ROLE", "STATUS", "NAME", "LAST SIGN-IN"], rows)) io.out(line);
  },
};
