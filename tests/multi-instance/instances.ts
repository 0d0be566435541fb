// Real Keyward server processes for the multi-instance tests: the compiled
// server of the production build, run as scripts/start.mjs runs it, each on a
// free port with its own data dir, all on one PostgreSQL database.

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, afterEach, beforeAll, inject } from "vitest";
import { getFreePort } from "../../scripts/lib/postgres.mjs";
import { serverCommand } from "../../scripts/lib/server-build.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The e2e server's port: never ours. */
const E2E_PORT = 3100;
const LOG_LINES_KEPT = 400;

export interface Instance {
  name: string;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  child: ChildProcess;
  logFile: string;
  /** The last lines the process wrote (stdout and stderr). */
  logTail(lines?: number): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  stop(): Promise<void>;
}

/** Processes still running, killed when this process exits whatever happens. */
const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch {
      // gone
    }
  }
});

async function freePort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = await getFreePort();
    if (port !== E2E_PORT && !taken.has(port)) return port;
  }
}

/** A new, empty database on the server of `adminUrl`; `drop` removes it (WITH FORCE). */
export async function createDatabase(adminUrl: string, prefix = "mi"): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface ClusterOptions {
  databaseUrl: string;
  /** Parent folder of each instance's KEYWARD_DATA_DIR and log file. */
  tmpDir: string;
  /** What every instance shares: the secrets, the public URL (as behind one load balancer). */
  env: Record<string, string>;
}

function spawnInstance(name: string, port: number, options: ClusterOptions): Instance {
  const dataDir = path.join(options.tmpDir, `data-${name}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(options.tmpDir, `${name}.log`);
  const log = fs.createWriteStream(logFile);
  const tail: string[] = [];
  const server = serverCommand({ ...process.env, ...options.env });
  const child = spawn(process.execPath, server.args, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...options.env,
      ...server.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: options.databaseUrl,
      KEYWARD_DATA_DIR: dataDir,
    },
    // Not detached: when the test runner's process group is killed, these go too.
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line) continue;
      tail.push(line);
      if (tail.length > LOG_LINES_KEPT) tail.shift();
    }
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      live.delete(child);
      tail.push(`[${name} exited: ${signal ?? `code ${code}`}]`);
      log.end();
      resolve();
    });
  });
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    logFile,
    logTail: (lines = 60) => tail.slice(-lines).join("\n"),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const hard = setTimeout(() => child.kill("SIGKILL"), 8_000);
        await exited;
        clearTimeout(hard);
      }
    },
  };
}

async function waitForHealth(instance: Instance, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (instance.child.exitCode !== null || instance.child.signalCode !== null) {
      throw new Error(`instance ${instance.name} exited before it was healthy:\n${instance.logTail()}`);
    }
    try {
      const res = await fetch(`${instance.url}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`instance ${instance.name} was not healthy after ${timeoutMs} ms:\n${instance.logTail()}`);
}

/**
 * Starts one instance per name, all at once (as replicas of one deployment
 * start), and resolves when every one answers /api/v1/health. Stops them all
 * when any fails to start.
 */
export async function startInstances(names: string[], options: ClusterOptions, timeoutMs = 90_000): Promise<Instance[]> {
  const instances: Instance[] = [];
  const taken = new Set<number>();
  for (const name of names) {
    const port = await freePort(taken);
    taken.add(port);
    instances.push(spawnInstance(name, port, options));
  }
  try {
    await Promise.all(instances.map((i) => waitForHealth(i, timeoutMs)));
  } catch (error) {
    await Promise.all(instances.map((i) => i.stop()));
    throw error;
  }
  return instances;
}

/** A temp dir for a test run's data dirs and logs. */
export function makeTmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "keyward-mi-"));
}

/** Two instances of one deployment on a database of their own, for a describe block. */
export interface TwoInstances {
  readonly a: Instance;
  readonly b: Instance;
  readonly instances: Instance[];
  readonly databaseUrl: string;
}

/**
 * Registers the hooks of a describe block that runs two instances ("a" and
 * "b") sharing a fresh database and one KEK and AUTH_SECRET, and answers
 * their handle (ready from the block's next beforeAll on). When a test fails,
 * the instances' last log lines are printed after they stop.
 */
export function twoInstancesOnOneDatabase(databasePrefix: string, env: Record<string, string>): TwoInstances {
  let tmp: string | undefined;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let instances: Instance[] = [];
  let failed = false;

  beforeAll(async () => {
    tmp = makeTmpDir();
    database = await createDatabase(inject("miDatabaseUrl"), databasePrefix);
    instances = await startInstances(["a", "b"], {
      databaseUrl: database.url,
      tmpDir: tmp,
      env: { KEYWARD_KEK: randomBytes(32).toString("base64url"), AUTH_SECRET: randomBytes(48).toString("base64url"), ...env },
    });
  });

  afterEach((ctx) => {
    if (ctx.task.result?.state === "fail") failed = true;
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    if (failed) {
      for (const i of instances) process.stderr.write(`\n--- instance ${i.name} (port ${i.port}), last lines of ${i.logFile} ---\n${i.logTail(80)}\n`);
    }
    await database?.drop().catch((error: unknown) => process.stderr.write(`could not drop the test database: ${(error as Error).message}\n`));
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  return {
    get a() {
      return instances[0]!;
    },
    get b() {
      return instances[1]!;
    },
    get instances() {
      return instances;
    },
    get databaseUrl() {
      return database!.url;
    },
  };
}

/** An admin API request to one instance with a bearer token (JSON body when given), bounded to 30 s. */
export function requestInstance(inst: Instance, token: string, method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${inst.url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
}
