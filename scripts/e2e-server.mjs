#!/usr/bin/env node
// The server Playwright's webServer starts: a fresh data dir and SQLite
// database under .tmp/e2e-<timestamp>, then `node scripts/start.mjs --no-install`
// (builds if needed, migrates, bootstraps), behind a recording proxy on port
// 3100 (or KEYWARD_E2E_PORT): the browser and the specs speak to the proxy,
// which passes everything through unchanged and writes each exchange to
// <data dir>/traffic.jsonl; the server's output is also kept in
// <data dir>/server.log. The secrets scan at the end of the run reads both
// (e2e/security/secrets-scan.spec.ts); .tmp/e2e-run-<port>.json names the
// run's data dir for it.
//
// Keep the values in sync with e2e/fixtures/env.ts (TypeScript, which plain
// Node 20 cannot import).

import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startRecordingProxy } from "./lib/recording-proxy.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PORT = Number(process.env.KEYWARD_E2E_PORT ?? 3100);
const BASE_URL = `http://127.0.0.1:${PORT}`;
const KEEP_OLD_RUNS = 3;

const tmpRoot = path.join(root, ".tmp");
mkdirSync(tmpRoot, { recursive: true });

// Keep only the last few runs' data (useful to inspect a failed run).
try {
  const old = readdirSync(tmpRoot)
    .filter((name) => /^e2e-\d+$/.test(name))
    .sort()
    .slice(0, -KEEP_OLD_RUNS);
  for (const name of old) rmSync(path.join(tmpRoot, name), { recursive: true, force: true });
} catch {
  // not fatal
}

const dataDir = path.join(tmpRoot, `e2e-${Date.now()}`);
mkdirSync(dataDir, { recursive: true });

/** A free loopback port for the server itself, behind the proxy. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
const INTERNAL_PORT = await freePort();

const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  // The server listens on the internal port; every URL it makes is the proxy's.
  PORT: String(INTERNAL_PORT),
  HOSTNAME: "127.0.0.1",
  KEYWARD_PUBLIC_URL: BASE_URL,
  NEXTAUTH_URL: BASE_URL,
  DATABASE_URL: `file:${path.join(dataDir, "keyward.db")}`,
  KEYWARD_DATA_DIR: dataDir,
  KEYWARD_BOOTSTRAP_ADMIN_EMAIL: "admin@keyward.test",
  KEYWARD_BOOTSTRAP_ADMIN_PASSWORD: "correct-horse-battery-staple-42",
  KEYWARD_BOOTSTRAP_API_TOKEN: "kw_e2e_bootstrap_token_0123456789abcdef0123",
  // The specs' loopback JWKS servers listen on 127.0.0.2; every other private
  // or loopback address stays refused, as in production.
  KEYWARD_OUTBOUND_ALLOW: "127.0.0.2",
};

process.stdout.write(`[e2e-server] data dir ${dataDir}\n`);
writeFileSync(path.join(tmpRoot, `e2e-run-${PORT}.json`), `${JSON.stringify({ dataDir, port: PORT, internalPort: INTERNAL_PORT })}\n`);

await startRecordingProxy({ port: PORT, target: { host: "127.0.0.1", port: INTERNAL_PORT }, recordFile: path.join(dataDir, "traffic.jsonl") });

const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs"), "--no-install"], {
  cwd: root,
  env,
  stdio: ["ignore", "pipe", "pipe"],
});
// Tee the server's output: to the console as before, and into the run's log for the scan.
const log = createWriteStream(path.join(dataDir, "server.log"), { flags: "a" });
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  log.write(chunk);
});
child.stderr.on("data", (chunk) => {
  process.stderr.write(chunk);
  log.write(chunk);
});

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on("error", (error) => {
  process.stderr.write(`[e2e-server] could not start scripts/start.mjs: ${error.message}\n`);
  process.exit(1);
});

child.on("exit", (code, signal) => {
  if (signal) process.stderr.write(`[e2e-server] server stopped by ${signal}\n`);
  const status = signal ? (signal === "SIGTERM" || signal === "SIGINT" ? 0 : 1) : (code ?? 1);
  log.end(() => process.exit(status));
});
