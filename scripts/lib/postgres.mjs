// Throwaway PostgreSQL cluster for integration tests.
//
//   const pg = await startThrowawayPostgres({ binDir });
//   pg.url("keyward_test")  // postgresql://postgres@127.0.0.1:<port>/keyward_test
//   await pg.stop();        // pg_ctl stop -m fast + rm -rf
//
// Plain Node ESM, builtins only. initdb/postgres refuse to run as root, so when
// we are root every server command runs as the `postgres` user (runuser, or su
// as a fallback) inside a temp dir owned by that user. Every command is bounded
// by a timeout; the cluster is also stopped on process exit and SIGINT/SIGTERM/SIGHUP.

import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const TEST_DATABASE = "keyward_test";

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function log(message) {
  process.stderr.write(`[postgres] ${message}\n`);
}

/** uid/gid of a local user, from `id` (no dependency on getpwnam). */
function lookupUser(name) {
  const uid = spawnSync("id", ["-u", name], { encoding: "utf8", timeout: 10_000 });
  const gid = spawnSync("id", ["-g", name], { encoding: "utf8", timeout: 10_000 });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(
      `running as root but there is no "${name}" user to run PostgreSQL as (install the postgresql package)`,
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function shellQuote(arg) {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Environment without PG* variables that could redirect the client tools. */
function cleanEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith("PG")) {
      delete env[key];
    }
  }
  env.LC_ALL = "C";
  return env;
}

/**
 * Build a runner that executes a PostgreSQL binary, as the postgres user when
 * we are root. Returns { status, stdout, stderr, error }.
 */
function makeExec({ binDir, runAs, cwd }) {
  const env = cleanEnv();
  const runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find((p) => existsSync(p));
  return function exec(tool, args, { timeoutMs = 60_000 } = {}) {
    const bin = path.join(binDir, tool);
    let command = bin;
    let argv = args;
    if (runAs) {
      if (runuser) {
        command = runuser;
        argv = ["-u", runAs, "--", bin, ...args];
      } else {
        command = "su";
        argv = [runAs, "-s", "/bin/sh", "-c", [bin, ...args].map(shellQuote).join(" ")];
      }
    }
    const result = spawnSync(command, argv, {
      cwd,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    });
    return result;
  };
}

function describeFailure(what, result, logFile) {
  const parts = [`${what} failed`];
  if (result.error) parts.push(result.error.message);
  if (result.signal) parts.push(`killed by ${result.signal}`);
  if (typeof result.status === "number") parts.push(`exit code ${result.status}`);
  const out = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
  if (out) parts.push(`\n${out}`);
  if (logFile && existsSync(logFile)) {
    try {
      const tail = readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n");
      parts.push(`\n--- server log (tail) ---\n${tail}`);
    } catch {
      // ignore
    }
  }
  return parts.join(": ");
}

/** A free TCP port on 127.0.0.1 (listen on 0, read it, close). */
export function getFreePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("could not determine a free port"))));
    });
  });
}

/**
 * Start a throwaway cluster with trust auth on 127.0.0.1:<free port> and
 * create the `keyward_test` database.
 *
 * @param {{ binDir: string, database?: string, quiet?: boolean }} options
 * @returns {Promise<{ url: (dbName?: string) => string, port: number, dir: string, stop: () => Promise<void>, stopSync: () => void }>}
 */
export async function startThrowawayPostgres({ binDir, database = TEST_DATABASE, quiet = false } = {}) {
  if (!binDir || !existsSync(path.join(binDir, "initdb"))) {
    throw new Error(`startThrowawayPostgres: no initdb in binDir=${binDir}`);
  }
  const runAs = isRoot() ? "postgres" : undefined;
  const baseDir = mkdtempSync(path.join(os.tmpdir(), "keyward-pg-"));
  const dataDir = path.join(baseDir, "data");
  const logFile = path.join(baseDir, "postgres.log");
  if (runAs) {
    const { uid, gid } = lookupUser(runAs);
    chownSync(baseDir, uid, gid);
  }
  const exec = makeExec({ binDir, runAs, cwd: baseDir });

  let started = false;
  let stopped = false;

  function stopSync() {
    if (stopped) return;
    stopped = true;
    removeHandlers();
    if (started) {
      const result = exec("pg_ctl", ["-D", dataDir, "stop", "-m", "fast", "-w", "-t", "30"], { timeoutMs: 45_000 });
      if (result.status !== 0) {
        // Last resort: kill the postmaster by its pid file.
        try {
          const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
          if (pid > 0) {
            process.kill(pid, "SIGKILL");
            log(`pg_ctl stop failed; killed postmaster ${pid}`);
          }
        } catch {
          // already gone
        }
      }
    }
    try {
      rmSync(baseDir, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      log(`could not remove ${baseDir}: ${error.message}`);
    }
  }

  const onExit = () => stopSync();
  const signalHandlers = {};
  for (const signal of Object.keys(SIGNAL_EXIT_CODES)) {
    signalHandlers[signal] = () => {
      stopSync();
      // Only decide the exit ourselves when nobody else handles the signal.
      if (process.listenerCount(signal) === 0) {
        process.exit(SIGNAL_EXIT_CODES[signal]);
      }
    };
  }
  function removeHandlers() {
    process.removeListener("exit", onExit);
    for (const [signal, handler] of Object.entries(signalHandlers)) {
      process.removeListener(signal, handler);
    }
  }
  process.on("exit", onExit);
  for (const [signal, handler] of Object.entries(signalHandlers)) {
    process.on(signal, handler);
  }

  try {
    const init = exec(
      "initdb",
      ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"],
      { timeoutMs: 120_000 },
    );
    if (init.status !== 0) {
      throw new Error(describeFailure("initdb", init));
    }

    let port = 0;
    let lastFailure = "";
    const optionsFor = (p) =>
      [
        `-p ${p}`,
        `-k ${baseDir}`,
        "-c listen_addresses=127.0.0.1",
        "-c fsync=off",
        "-c full_page_writes=off",
        "-c synchronous_commit=off",
        "-c max_connections=100",
      ].join(" ");
    for (let attempt = 1; attempt <= 3 && !started; attempt++) {
      port = await getFreePort();
      const serverOptions = optionsFor(port);
      const start = exec("pg_ctl", ["-D", dataDir, "-o", serverOptions, "-w", "-t", "60", "-l", logFile, "start"], {
        timeoutMs: 90_000,
      });
      if (start.status === 0) {
        started = true;
      } else {
        lastFailure = describeFailure(`pg_ctl start (port ${port}, attempt ${attempt})`, start, logFile);
        // A half-started server must not linger.
        exec("pg_ctl", ["-D", dataDir, "stop", "-m", "immediate", "-w", "-t", "10"], { timeoutMs: 20_000 });
      }
    }
    if (!started) {
      throw new Error(lastFailure);
    }

    const create = exec("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", database], {
      timeoutMs: 60_000,
    });
    if (create.status !== 0) {
      throw new Error(describeFailure(`createdb ${database}`, create, logFile));
    }

    if (!quiet) {
      log(`throwaway cluster on 127.0.0.1:${port} (data ${dataDir})`);
    }

    return {
      port,
      dir: baseDir,
      url: (dbName = database) => `postgresql://postgres@127.0.0.1:${port}/${dbName}`,
      stopSync,
      // Fault-injection tests: the server goes away (connections refused)
      // and comes back on the same port with the same data.
      pause: async (mode = "fast") => {
        const result = exec("pg_ctl", ["-D", dataDir, "stop", "-m", mode, "-w", "-t", "30"], { timeoutMs: 45_000 });
        if (result.status !== 0) throw new Error(describeFailure(`pg_ctl stop -m ${mode}`, result, logFile));
      },
      resume: async () => {
        const result = exec("pg_ctl", ["-D", dataDir, "-o", optionsFor(port), "-w", "-t", "60", "-l", logFile, "start"], { timeoutMs: 90_000 });
        if (result.status !== 0) throw new Error(describeFailure(`pg_ctl start (port ${port})`, result, logFile));
      },
      stop: async () => {
        stopSync();
        if (!quiet) {
          log(`stopped cluster on port ${port}`);
        }
      },
    };
  } catch (error) {
    stopSync();
    throw error;
  }
}
