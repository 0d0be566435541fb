/**
 * Keyward as the benchmarks run it: built once, started as `node
 * .next/keyward-server.mjs` (the compiled server, NODE_ENV=production: what
 * scripts/start.mjs runs) on a free
 * loopback port with a throwaway SQLite database and data directory, seeded
 * through its admin API, measured from outside (/proc, /metrics).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { serverCommand } from "../../scripts/lib/server-build.mjs";

export const API_TOKEN = "kw-bench-bootstrap-token-0123456789abcdefghij";
export const METRICS_TOKEN = "kw-bench-metrics-token-0123456789";
export const ADMIN_EMAIL = "admin@bench.keyward.test";
export const ADMIN_PASSWORD = "bench-admin-password-0123";

/** A port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `node scripts/start.mjs --build-only`: installs what is missing, builds the app and compiles the server when their sources changed. */
export function ensureBuilt(root, log) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/start.mjs", "--build-only"], { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    child.stdout.on("data", (d) => log(d.toString()));
    child.stderr.on("data", (d) => log(d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the build failed (exit ${code}); see the output above`))));
  });
}

export function makeDataDir(tmpRoot, name) {
  return fs.mkdtempSync(path.join(tmpRoot ?? os.tmpdir(), `keyward-bench-${name}-`));
}

/**
 * Starts Keyward on a data directory (fresh or not) and waits until
 * /api/v1/health answers 200; `startMs` is spawn to that answer.
 */
export async function startKeyward({ root, dataDir, port: givenPort, name = "keyward", cpuProfDir, nodeFlags = [], extraEnv = {}, timeoutMs = 120_000 }) {
  // A restart keeps its port: the public URL (issuer, token endpoint) is in the data.
  const port = givenPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: `file:${path.join(dataDir, "keyward.db")}`,
    KEYWARD_DATA_DIR: dataDir,
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    KEYWARD_PUBLIC_URL: url,
    KEYWARD_BOOTSTRAP_API_TOKEN: API_TOKEN,
    KEYWARD_BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
    KEYWARD_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    KEYWARD_OUTBOUND_ALLOW: "127.0.0.2",
    KEYWARD_METRICS_TOKEN: METRICS_TOKEN,
    LOG_LEVEL: "warn",
    ...extraEnv,
  };
  // Whatever the calling shell had must not leak in (a KEK or secret of another install).
  for (const k of ["KEYWARD_KEK", "KEYWARD_KEK_FILE", "AUTH_SECRET", "NEXTAUTH_SECRET", "NEXTAUTH_URL", "NODE_OPTIONS"]) delete env[k];
  // The node flags and environment scripts/start.mjs runs the server with.
  const server = serverCommand(env);
  Object.assign(env, server.env);
  const flags = [...nodeFlags];
  // One folder per server: V8 writes one profile per thread, named CPU.<date>.<time>.<pid>.<thread>.<n>.
  const profileDir = cpuProfDir ? path.join(cpuProfDir, `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}`) : null;
  if (profileDir) flags.push("--cpu-prof", `--cpu-prof-dir=${profileDir}`);
  const logPath = path.join(dataDir, `${name}.log`);
  const logFd = fs.openSync(logPath, "a");
  const started = performance.now();
  const child = spawn(process.execPath, [...flags, ...server.args], { cwd: root, env, stdio: ["ignore", logFd, logFd] });
  fs.closeSync(logFd);
  let exited = null;
  const exit = new Promise((resolve) => child.on("exit", (code, signal) => resolve((exited = { code, signal }))));
  const deadline = started + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`Keyward (${name}) exited during start (${exited.signal ?? exited.code}); log: ${logPath}\n${tail(logPath)}`);
    if (performance.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Keyward (${name}) did not answer /api/v1/health within ${timeoutMs / 1000} s; log: ${logPath}\n${tail(logPath)}`);
    }
    try {
      const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const startMs = performance.now() - started;
  return {
    name,
    url,
    port,
    pid: child.pid,
    dataDir,
    logPath,
    startMs,
    /** The main thread's CPU profile, once the server has stopped (with cpuProfDir). */
    mainProfile() {
      if (!profileDir || !fs.existsSync(profileDir)) return null;
      const main = fs.readdirSync(profileDir).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
      return main ? path.join(profileDir, main) : null;
    },
    /** VmRSS and VmHWM of the server process, in bytes. */
    memory: () => procMemory(child.pid),
    /** SIGTERM (the server writes its CPU profile on that exit), SIGKILL after 15 s. */
    async stop() {
      if (exited) return exited;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
    get exited() {
      return exited;
    },
  };
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

export function procMemory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM"), anon: kb("RssAnon"), file: kb("RssFile") };
}

/** The admin REST API with the bootstrap token. */
export function adminApi(base) {
  async function call(method, route, body) {
    const res = await fetch(`${base}${route}`, {
      method,
      headers: { authorization: `Bearer ${API_TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route} answered ${res.status}: ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : null;
  }
  return {
    get: (route) => call("GET", route),
    post: (route, body) => call("POST", route, body ?? {}),
    put: (route, body) => call("PUT", route, body),
    patch: (route, body) => call("PATCH", route, body),
  };
}

/** A console session: next-auth's credentials sign-in with the bootstrap admin; answers the Cookie header. */
export async function signIn(base, email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
  const jar = new Map();
  const keep = (res) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair.indexOf("=");
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  keep(csrfRes);
  const { csrfToken } = await csrfRes.json();
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base}/`, json: "true" }).toString(),
  });
  keep(res);
  await res.arrayBuffer();
  if (![...jar.keys()].some((k) => k.endsWith("next-auth.session-token"))) throw new Error(`console sign-in failed (${res.status}): no session cookie`);
  return cookie();
}

/** Scrapes one Prometheus metric (first sample) from GET /metrics. */
export async function metric(base, name) {
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await res.text();
  const line = text.split("\n").find((l) => l.startsWith(name));
  return line ? Number(line.split(" ").at(-1)) : null;
}
