import { UsageError } from "@/cli/args";
import type { Command } from "@/cli/command";
import { openDatabase } from "@/cli/database";
import { CliFailure } from "@/cli/errors";
import { table } from "@/cli/io";
import { TOKEN_PREFIX, createApiToken, listApiTokens, revokeApiTokenByValueOrId } from "@/lib/auth/api-tokens";
import { CLI_ACTOR, ROLES } from "@/lib/auth/roles";
import { isAppError } from "@/lib/errors";

export const tokenCreateCommand: Command = {
  name: "token:create",
  summary: "Create an API token for the admin REST API and print it once",
  synopsis: "--name <name> [--role admin|operator|viewer] [--expires <date-time>] [--quiet]",
  options: {
    name: { type: "string", placeholder: "name", description: "what the token is for, shown in lists and the audit log", required: true },
    role: { type: "string", placeholder: "role", description: "admin, operator or viewer (default: viewer)", choices: ROLES },
    expires: {
      type: "string",
      placeholder: "date-time",
      description: "when the token stops working, ISO 8601 with an offset, e.g. 2026-12-31T23:59:59Z (default: never)",
    },
    quiet: { type: "boolean", short: "q", description: "print only the token, for scripts to capture" },
  },
  fields: { name: "--name", role: "--role", expiresAt: "--expires" },
  notes: ["The token is shown once: Keyward stores only its hash. Use it as `Authorization: Bearer <token>`."],
  examples: [
    "token:create --name deploy-pipeline --role operator --expires 2026-12-31T23:59:59Z",
    "TOKEN=$(npm run --silent keyward -- token:create --name ci --role viewer --quiet)",
  ],
  async run(args, io) {
    await openDatabase(io);
    const created = await createApiToken(CLI_ACTOR, {
      name: args.require("name"),
      role: args.string("role") ?? "viewer",
      ...(args.string("expires") !== undefined ? { expiresAt: args.string("expires") } : {}),
    });
    if (args.flag("quiet")) {
      io.out(created.token);
      return;
    }
    io.out(`created API token "${created.name}" (id ${created.id}, role ${created.role}, ${created.expiresAt ? `expires ${created.expiresAt}` : "no expiry"})`);
    io.out(`token (shown once, store it now): ${created.token}`);
  },
};

export const tokenRevokeCommand: Command = {
  name: "token:revoke",
  summary: "Revoke an API token, given its id or the token itself",
  synopsis: "<id | token | ->",
  options: {},
  positionals: [
    { name: "id | token | -", description: "the token's id (see token:list), the token itself, or - to read either from stdin", required: true },
  ],
  notes: ["The token stops working at once. Revoking a revoked token changes nothing. Pass - and pipe the token in to keep it out of the process list and shell history."],
  examples: ["token:revoke clx0example0id", "printenv KEYWARD_TOKEN | npm run keyward -- token:revoke -"],
  async run(args, io) {
    let ref = args.positional(0) ?? "";
    if (ref === "-") {
      const line = await io.readLine("Token or id: ");
      if (!line?.trim()) throw new UsageError("token:revoke: stdin held no token or id", "token:revoke");
      ref = line.trim();
    }
    await openDatabase(io);
    const startedAt = Date.now();
    let revoked;
    try {
      revoked = await revokeApiTokenByValueOrId(CLI_ACTOR, ref);
    } catch (error) {
      // The service's "not found" message repeats what it was given, which may
      // be a live token (of another instance, say): never echo it.
      if (isAppError(error) && error.code === "not_found") {
        throw new CliFailure(looksLikeToken(ref) ? "no API token matches the given token" : `no API token with id ${ref}`);
      }
      throw error;
    }
    const already = revoked.revokedAt !== null && Date.parse(revoked.revokedAt) < startedAt;
    io.out(`${already ? "already revoked" : "revoked"}: API token "${revoked.name}" (id ${revoked.id}, ${revoked.prefix}…) at ${revoked.revokedAt}`);
  },
};

function looksLikeToken(ref: string): boolean {
  return ref.startsWith(TOKEN_PREFIX) || ref.length >= 32;
}

export const tokenListCommand: Command = {
  name: "token:list",
  summary: "List API tokens (never the tokens themselves)",
  synopsis: "",
  options: {},
  examples: ["token:list"],
  async run(_args, io) {
    await openDatabase(io);
    const tokens = await listApiTokens(CLI_ACTOR);
    if (tokens.length === 0) {
      io.out("no API tokens");
      return;
    }
    const rows = tokens.map((t) => [
      t.id,
      t.name,
      t.role,
      `${t.prefix}…`,
      t.status,
      t.expiresAt ?? "never",
      t.lastUsedAt ?? "never",
      t.createdBy,
    ]);
    for (const line of table(["ID", "NAME", "ROLE", "PREFIX", "STATUS", "EXPIRES", "LAST USED", "CREATED BY"], rows)) io.out(line);
  },
};
