import type { Command } from "@/cli/command";
import { openDatabase } from "@/cli/database";
import { PASSWORD_CONFLICTS, PASSWORD_OPTIONS, passwordFromArgs } from "@/cli/passwords";
import { CLI_ACTOR } from "@/lib/auth/roles";
import { createUser } from "@/lib/auth/users";

export const adminCreateCommand: Command = {
  name: "admin:create",
  summary: "Create an admin user (prints a generated password when none is given)",
  synopsis: "--email <email> [--name <name>] [--password <password> | --password-stdin]",
  options: {
    email: { type: "string", placeholder: "email", description: "the new admin's email (their sign-in name)", required: true },
    name: { type: "string", placeholder: "name", description: "display name (default: the part of the email before @)" },
    ...PASSWORD_OPTIONS,
  },
  conflicts: PASSWORD_CONFLICTS,
  fields: { email: "--email", name: "--name", password: "--password" },
  notes: ["Without --password or --password-stdin, a strong random password is generated and printed once. Fails when a user with the email exists."],
  examples: [
    "admin:create --email ops@bank.example",
    "admin:create --email ops@bank.example --name 'Ops team' --password-stdin < password.txt",
  ],
  async run(args, io) {
    const email = args.require("email").trim().toLowerCase();
    const name = args.string("name") ?? email.split("@")[0] ?? email;
    const { password, generated } = await passwordFromArgs(args, io, email);
    await openDatabase(io);
    const user = await createUser(CLI_ACTOR, { email, name, role: "admin", password });
    io.out(`created admin ${user.email} (id ${user.id})`);
    if (generated) io.out(`password (shown once, store it now): ${password}`);
  },
};
