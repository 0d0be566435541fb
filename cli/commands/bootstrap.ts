import type { Command } from "@/cli/command";
import { openDatabase } from "@/cli/database";
import { bootstrap } from "@/lib/bootstrap";
import { kekId } from "@/lib/crypto/seal";

export const bootstrapCommand: Command = {
  name: "bootstrap",
  summary: "Create the default tenant, the first admin and the bootstrap API token, without starting the server",
  synopsis: "",
  options: {},
  notes: [
    "Does what the server does on its first start, and is just as safe to repeat: the `default` tenant is created only when there is no tenant (with a generated, active signing key when it has no key), the first admin only on a database without users (KEYWARD_BOOTSTRAP_ADMIN_EMAIL / KEYWARD_BOOTSTRAP_ADMIN_PASSWORD, else admin@localhost with a generated password, printed once), and the API token from KEYWARD_BOOTSTRAP_API_TOKEN only when no token exists.",
  ],
  examples: ["bootstrap", "KEYWARD_BOOTSTRAP_ADMIN_EMAIL=ops@bank.example bootstrap"],
  async run(_args, io) {
    const e = await openDatabase(io);
    const result = await bootstrap(e);
    io.out(`KEK ${kekId(e.kek)}: ${result.kek === "sealed-canary" ? "sealed the check value (new database)" : "opens this database's sealed values"}`);
    io.out(`tenant "default": ${result.tenant === "created" ? "created" : "not needed (a tenant exists)"}`);
    io.out(
      `signing key of "default": ${
        result.signingKey === "created" ? "generated and activated" : result.signingKey === "exists" ? "not needed (it has keys)" : "not needed (no default tenant)"
      }`,
    );
    if (result.admin.created) {
      io.out(`admin: created ${result.admin.email}`);
      if (result.admin.generatedPassword) {
        io.out(`password (shown once, store it now): ${result.admin.generatedPassword}`);
      } else {
        io.out("password: the one in KEYWARD_BOOTSTRAP_ADMIN_PASSWORD");
      }
    } else {
      io.out("admin: not needed (users exist)");
    }
    io.out(
      `API token: ${
        result.token === "created"
          ? "created from KEYWARD_BOOTSTRAP_API_TOKEN"
          : result.token === "exists"
            ? "not needed (a token exists)"
            : "none (KEYWARD_BOOTSTRAP_API_TOKEN is not set)"
      }`,
    );
  },
};
