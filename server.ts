import http from "node:http";
import next from "next";
import { env, EnvError } from "@/lib/env";
import { log } from "@/lib/log";
import { migrateDatabase } from "@/lib/db/migrate";
import { disconnectDb } from "@/lib/db";
import { bootstrap } from "@/lib/bootstrap";
import { CLIENT_IP_HEADER, REQUEST_ID_HEADER } from "@/lib/request-meta";
import { VERSION } from "@/lib/version";
import { handleProtocolRequest } from "@/lib/protocol/router";
import { startScheduler } from "@/lib/rotation/scheduler";
import { requestIdFrom, withRequest } from "@/lib/observability/request-context";

/**
 * Keyward's server: one process, one port. It prepares the database, then
 * answers every request: the public protocol endpoints here, before Next's
 * pipeline (a Next route handler is an order of magnitude slower on this hot
 * path), everything else in Next (the console and /api/v1).
 */
async function main() {
  // Everything the server creates (the SQLite database, its journal, secret
  // files) is readable by its owner only.
  process.umask(0o077);
  const dev = process.argv.includes("--dev");
  const e = env();
  const logger = log();
  if (e.kekSource === "generated") {
    logger.warn({ path: e.kekPath }, "generated a new key-encryption key (KEK) for private keys at rest; back it up: without it, sealed keys cannot be recovered");
  }
  if (e.authSecretSource === "generated") logger.info("generated AUTH_SECRET for console sessions into the data directory");

  const migrated = await migrateDatabase(e.databaseUrl);
  logger.info({ provider: migrated.provider, applied: migrated.applied, alreadyApplied: migrated.alreadyApplied }, "database migrations checked");
  const boot = await bootstrap(e);
  if (boot.tenant === "created") logger.info("created the default tenant");
  if (boot.signingKey === "created") logger.info("generated and activated a signing key for the default tenant");
  if (boot.token === "created") logger.info("created the bootstrap admin API token from KEYWARD_BOOTSTRAP_API_TOKEN");

  // next-auth v4 reads these two from the environment.
  process.env.NEXTAUTH_SECRET = e.authSecret;
  process.env.NEXTAUTH_URL = e.publicUrl;
  process.env.NEXT_TELEMETRY_DISABLED = "1";

  const app = next({ dev, hostname: e.hostname, port: e.port, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((req, res) => {
    // The public protocol endpoints first: the hot path does no other work.
    if (handleProtocolRequest(req, res)) return;
    // Next and the services read the client address and request id from these
    // headers; drop whatever a client sent under the same names.
    const forwarded = e.trustProxy ? String(req.headers["x-forwarded-for"] ?? "").split(",")[0]?.trim() : "";
    req.headers[CLIENT_IP_HEADER] = forwarded || req.socket.remoteAddress || "unknown";
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader("x-request-id", requestId);
    // Every log line of this request's work carries its id (lib/log.ts).
    withRequest({ requestId }, () =>
      handle(req, res).catch((error: unknown) => {
        logger.error({ err: error }, "unhandled error");
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`internal error (request ${requestId})`);
      }),
    );
  });
  server.keepAliveTimeout = 65_000;
  server.on("error", (error: NodeJS.ErrnoException) => {
    const why = error.code === "EADDRINUSE" ? `port ${e.port} is already in use (set PORT to another port)` : error.message;
    process.stderr.write(`Keyward cannot start: ${why}\n`);
    process.exit(1);
  });
  server.listen(e.port, e.hostname, () => {
    logger.info({ url: e.publicUrl, port: e.port, version: VERSION, dev }, "Keyward is listening");
    const lines = [`\n  Keyward ${VERSION} is serving on ${e.publicUrl}`];
    if (boot.admin.created && boot.admin.generatedPassword) {
      lines.push(
        `\n  First start: an admin account was created.`,
        `    email:    ${boot.admin.email}`,
        `    password: ${boot.admin.generatedPassword}`,
        `  This password is shown once. Sign in and change it, or set KEYWARD_BOOTSTRAP_ADMIN_EMAIL/PASSWORD before the first start.`,
      );
    } else if (boot.admin.created) {
      lines.push(`\n  First start: admin ${boot.admin.email} created from KEYWARD_BOOTSTRAP_ADMIN_EMAIL/PASSWORD.`);
    }
    process.stdout.write(`${lines.join("\n")}\n\n`);
  });
  // Key rotation runs in the app unless the deployment runs `keyward rotate-tick` from cron.
  const scheduler = e.scheduler ? startScheduler(e.schedulerIntervalMs) : undefined;
  if (scheduler) logger.info({ holder: scheduler.holder, intervalMs: e.schedulerIntervalMs }, "rotation scheduler started");

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    server.close(() => {
      void (scheduler?.stop() ?? Promise.resolve()).then(() => disconnectDb()).finally(() => process.exit(0));
    });
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof EnvError) {
    process.stderr.write(`Keyward cannot start: ${error.message}\n`);
  } else {
    process.stderr.write(`Keyward cannot start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
