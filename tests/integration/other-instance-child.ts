// "Another instance" for the cache-invalidation tests: a process of its own
// on the same database that changes clients and identity providers through
// the services, exactly as a second Keyward instance would, so the test's
// process learns of the change only through the database.
//
//   node --import tsx tests/integration/other-instance-child.ts
//
// Reads one JSON command per line on stdin, answers one JSON line on stdout
// once the change has committed: {"ok":true,...} or {"ok":false,"error":...}.
// Writes {"ready":true} first, once its modules are loaded.
// DATABASE_URL, KEYWARD_KEK and the rest come from the parent's environment.

import readline from "node:readline";
import type { Actor } from "@/lib/auth/roles";
import { deleteClient, updateClient } from "@/lib/clients/clients";
import { updateIdentityProvider } from "@/lib/idps/identity-providers";
import { consumeJti } from "@/lib/protocol/replay-cache";

const OPERATOR: Actor = { type: "user", id: "other-instance", label: "operator@other-instance", role: "operator" };

type Command =
  | { op: "update-client"; slug: string; clientId: string; input: unknown }
  | { op: "delete-client"; slug: string; clientId: string }
  | { op: "update-idp"; slug: string; id: string; input: unknown }
  | { op: "consume-jti"; issuer: string; jti: string; exp: number };

async function perform(c: Command): Promise<Record<string, unknown>> {
  switch (c.op) {
    case "update-client":
      await updateClient(OPERATOR, c.slug, c.clientId, c.input);
      return {};
    case "delete-client":
      await deleteClient(OPERATOR, c.slug, c.clientId);
      return {};
    case "update-idp":
      await updateIdentityProvider(OPERATOR, c.slug, c.id, c.input);
      return {};
    case "consume-jti":
      return { fresh: await consumeJti(c.issuer, c.jti, c.exp) };
  }
}

const lines = readline.createInterface({ input: process.stdin });
// One command at a time, in order.
let chain = Promise.resolve();
lines.on("line", (line) => {
  chain = chain.then(async () => {
    try {
      const result = await perform(JSON.parse(line) as Command);
      process.stdout.write(`${JSON.stringify({ ok: true, ...result })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ ok: false, error: String((error as Error).stack ?? error) })}\n`);
    }
  });
});
lines.on("close", () => void chain.then(() => process.exit(0)));
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
