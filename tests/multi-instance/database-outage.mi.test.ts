// The database stops under a running Keyward server and comes back. A real
// server process (the production build) on a PostgreSQL cluster this file
// owns, so stopping it harms no other test. While PostgreSQL is down:
// - the public JWKS and discovery keep being served from the in-memory
//   snapshots (200, the same body and ETag, 304 for If-None-Match);
// - admin writes through /api/v1 fail at once with 503 problem+json naming
//   the database (nothing changed), not a 500 or a hang;
// - the token endpoint answers 503 temporarily_unavailable (RFC 6749 error
//   JSON) where it needs the database (a jwt-bearer assertion's jti must be
//   recorded), and never 500 or a hang; what it holds in memory (a
//   client_credentials grant with a secret) it still issues;
// - readiness reports the database down, liveness stays up;
// - a console page answers a clear error page; the process stays up.
// Then PostgreSQL starts again and everything recovers without restarting
// Keyward: writes succeed, a new key is published, a token is issued. Then
// once more with PostgreSQL crashing (immediate stop) instead of shutting down,
// and once with it hanging (its processes stopped): waits end at the query
// and connect timeouts.

import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLL_MS } from "@/lib/protocol/poll-interval";
import { ensurePostgresBinaries } from "../../scripts/lib/ensure-deps.mjs";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/lib/postgres.mjs";
import { makeTmpDir, startInstances, type Instance } from "./instances";

const API_TOKEN = `kw_outage_${randomBytes(24).toString("hex")}`;
const ADMIN_EMAIL = "outage-admin@keyward.test";
const ADMIN_PASSWORD = `pw-${randomBytes(12).toString("hex")}`;
const PUBLIC_URL = "http://keyward-outage.test";
/**
 * No request may wait longer than this while the database is down: the
 * PostgreSQL connect timeout (5 s, lib/db.ts) and the health probe's (3 s)
 * are the longest waits in the product; doubled for a busy 2-core machine.
 * A refused connection fails in milliseconds, so this bounds hangs, not speed.
 */
const OUTAGE_BOUND_MS = 10_000;
/**
 * While PostgreSQL hangs: the query timeout (10 s) or the connect timeout
 * (5 s) ends the wait, plus the time to answer on a busy machine.
 */
const HANG_BOUND_MS = 10_000 + 5_000;

interface Timed {
  status: number;
  ms: number;
  headers: Headers;
  text: string;
}

async function timed(url: string, init: RequestInit = {}): Promise<Timed> {
  const started = performance.now();
  const res = await fetch(url, { redirect: "manual", ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - started, headers: res.headers, text };
}

describe("PostgreSQL stops under a running server and comes back", () => {
  let tmp: string;
  let cluster: ThrowawayPostgres | undefined;
  let server: Instance | undefined;
  let failed = false;

  beforeAll(async () => {
    tmp = makeTmpDir();
    cluster = await startThrowawayPostgres({ binDir: ensurePostgresBinaries(), quiet: true });
    [server] = await startInstances(["outage"], {
      databaseUrl: cluster.url(),
      tmpDir: tmp,
      env: {
        KEYWARD_KEK: randomBytes(32).toString("base64url"),
        AUTH_SECRET: randomBytes(48).toString("base64url"),
        KEYWARD_PUBLIC_URL: PUBLIC_URL,
        KEYWARD_BOOTSTRAP_API_TOKEN: API_TOKEN,
        KEYWARD_BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
        KEYWARD_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
        // The scheduler's readiness rule is not what this file is about.
        KEYWARD_SCHEDULER: "off",
        LOG_LEVEL: "warn",
      },
    });
  });

  afterAll(async () => {
    await server?.stop();
    if (failed && server) process.stderr.write(`\n--- ${server.name} (port ${server.port}), last lines of ${server.logFile} ---\n${server.logTail(80)}\n`);
    await cluster?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("serves the public keys from memory, answers 503 where it needs the database, and recovers without a restart", async () => {
    try {
      await outageDrill(server!, cluster!);
    } catch (error) {
      failed = true;
      throw error;
    }
  });
});

async function outageDrill(inst: Instance, cluster: ThrowawayPostgres): Promise<void> {
  const base = inst.url;
  const api = async <T>(status: number, method: string, pathname: string, body?: unknown): Promise<T> => {
    const res = await timed(`${base}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${API_TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status !== status) throw new Error(`${method} ${pathname}: expected ${status}, got ${res.status} ${res.text}`);
    return (res.text ? JSON.parse(res.text) : null) as T;
  };

  // ---- before: a tenant with an active key, a client, an identity provider, a console session
  const slug = `outage-${randomBytes(3).toString("hex")}`;
  await api(201, "POST", "/api/v1/tenants", { slug, name: "Outage drill", profile: "generic" });
  const first = await api<{ kid: string }>(201, "POST", `/api/v1/tenants/${slug}/keys`, { source: "generate", alg: "ES256" });
  await api(200, "POST", `/api/v1/tenants/${slug}/keys/${encodeURIComponent(first.kid)}/activate`, { force: true, reason: "outage drill" });
  const secretClient = await api<{ clientId: string; clientSecret: string }>(201, "POST", `/api/v1/tenants/${slug}/clients`, {
    name: "TPP basic",
    tokenEndpointAuthMethod: "client_secret_basic",
    grantTypes: ["client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer"],
  });
  const idpKeys = await generateKeyPair("ES256");
  const idpName = `https://idp-${randomBytes(3).toString("hex")}.example`;
  const idp = await api<{ audience: string }>(201, "POST", `/api/v1/tenants/${slug}/identity-providers`, {
    name: idpName,
    jwks: { keys: [{ ...(await exportJWK(idpKeys.publicKey)), kid: "idp-1", alg: "ES256" }] },
    allowedAlgs: ["ES256"],
  });
  const basic = `Basic ${Buffer.from(`${secretClient.clientId}:${secretClient.clientSecret}`).toString("base64")}`;
  const token = (form: Record<string, string>) =>
    timed(`${base}/${slug}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic },
      body: new URLSearchParams(form).toString(),
    });
  const assertion = async () => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: idpName, sub: "psu-1", aud: idp.audience, iat: now, exp: now + 120, jti: randomUUID() })
      .setProtectedHeader({ alg: "ES256", kid: "idp-1" })
      .sign(idpKeys.privateKey);
  };
  const jwtBearer = async () => token({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: await assertion() });
  const cookie = await signIn(base);

  const certsUrl = `${base}/${slug}/oauth2/v1/certs`;
  const discoveryUrl = `${base}/${slug}/.well-known/openid-configuration`;
  const jwksBefore = await timed(certsUrl);
  const discoveryBefore = await timed(discoveryUrl);
  expect(jwksBefore.status).toBe(200);
  expect(discoveryBefore.status).toBe(200);
  const etag = jwksBefore.headers.get("etag")!;
  expect(etag).toBeTruthy();
  expect((await jwtBearer()).status).toBe(200);
  const consoleBefore = await timed(`${base}/tenants/${slug}/keys`, { headers: { cookie } });
  expect(consoleBefore.status, "the keys page with a session, database up").toBe(200);

  // ---- PostgreSQL stops (fast shutdown: sessions terminated, new connections refused)
  await cluster.pause("fast");

  // The snapshot outlives its poll interval: every request now finds the tenant table stale and the database gone.
  await new Promise((r) => setTimeout(r, POLL_MS + 200));
  for (let i = 0; i < 3; i++) {
    const jwks = await timed(certsUrl);
    expect(jwks.status, `JWKS during the outage: ${jwks.text}`).toBe(200);
    expect(jwks.text).toBe(jwksBefore.text);
    expect(jwks.headers.get("etag")).toBe(etag);
    expect(jwks.ms).toBeLessThan(OUTAGE_BOUND_MS);
    const conditional = await timed(certsUrl, { headers: { "if-none-match": etag } });
    expect(conditional.status, "conditional GET during the outage").toBe(304);
    const discovery = await timed(discoveryUrl);
    expect(discovery.status).toBe(200);
    expect(discovery.text).toBe(discoveryBefore.text);
  }

  // Admin writes: 503 problem+json naming the database, nothing hanging.
  const write = await timed(`${base}/api/v1/tenants/${slug}/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ source: "generate", alg: "ES256" }),
  });
  expect(write.status, write.text).toBe(503);
  expect(write.headers.get("content-type")).toBe("application/problem+json");
  expect(write.headers.get("retry-after")).toBe("5");
  expect(write.ms).toBeLessThan(OUTAGE_BOUND_MS);
  const problem = JSON.parse(write.text) as { status: number; code: string; title: string; detail: string };
  expect(problem).toMatchObject({ status: 503, code: "database_unavailable", title: "Service Unavailable" });
  expect(problem.detail).toMatch(/^the database is unavailable; nothing was changed/);
  expect(write.text).not.toMatch(/at .*\.(js|ts|mjs):\d+/);
  const rotate = await timed(`${base}/api/v1/tenants/${slug}/rotate`, { method: "POST", headers: { authorization: `Bearer ${API_TOKEN}` } });
  expect(rotate.status, rotate.text).toBe(503);

  // The token endpoint: the jwt-bearer grant records the assertion's jti (replay protection) and cannot go on.
  const bearerDown = await jwtBearer();
  expect(bearerDown.status, bearerDown.text).toBe(503);
  expect(JSON.parse(bearerDown.text)).toEqual({ error: "temporarily_unavailable", error_description: "the token service cannot reach its database; try again shortly" });
  expect(bearerDown.ms).toBeLessThan(OUTAGE_BOUND_MS);
  // client_credentials with a secret needs nothing but what the process
  // holds (the client, the unsealed signing key): still issued, and it verifies.
  const credentialsDown = await token({ grant_type: "client_credentials" });
  expect(credentialsDown.status, credentialsDown.text).toBe(200);
  expect(credentialsDown.ms).toBeLessThan(OUTAGE_BOUND_MS);
  const issuedDown = (JSON.parse(credentialsDown.text) as { access_token: string }).access_token;
  await jwtVerify(issuedDown, createLocalJWKSet(JSON.parse(jwksBefore.text) as JSONWebKeySet), { issuer: `${PUBLIC_URL}/${slug}` });

  // Health: readiness says the database is down, liveness is up.
  const ready = await timed(`${base}/api/v1/health/ready`);
  expect(ready.status).toBe(503);
  expect(ready.ms).toBeLessThan(OUTAGE_BOUND_MS);
  const readiness = JSON.parse(ready.text) as { ready: boolean; problems: string[] };
  expect(readiness.ready).toBe(false);
  expect(readiness.problems.join("\n")).toMatch(/^database: unavailable \(.+\)/m);
  const live = await timed(`${base}/api/v1/health/live`);
  expect(live.status).toBe(200);
  const summary = await timed(`${base}/api/v1/health`);
  expect(summary.status).toBe(503);
  expect(JSON.parse(summary.text)).toMatchObject({ status: "degraded", database: { provider: "postgresql", reachable: false } });

  // A console page: an error document, in bounded time, that the browser
  // renders with the app's error boundary (app/error.tsx); no stack, no
  // database detail in what is sent.
  const page = await timed(`${base}/tenants/${slug}/keys`, { headers: { cookie } });
  expect(page.ms).toBeLessThan(OUTAGE_BOUND_MS);
  expect(page.status, "the keys page during the outage").toBe(500);
  expect(page.text).toContain('<html id="__next_error__">');
  expect(page.text).toMatch(/digest[\\"]+:[\\"]+\d+/);
  expect(page.text).not.toMatch(/Can't reach database|57P01|ECONNREFUSED|\bat \S+\.(js|ts|mjs):\d+/);
  expect(inst.child.exitCode, "the server process is still running").toBeNull();
  expect(inst.child.signalCode).toBeNull();

  // ---- PostgreSQL comes back; Keyward is not restarted.
  await cluster.resume();
  await waitReady(base);
  const second = await api<{ kid: string }>(201, "POST", `/api/v1/tenants/${slug}/keys`, { source: "generate", alg: "ES256" });
  const jwksAfter = JSON.parse((await timed(certsUrl)).text) as JSONWebKeySet;
  expect(jwksAfter.keys.map((k) => k.kid).sort()).toEqual([first.kid, second.kid].sort());
  const bearerAfter = await jwtBearer();
  expect(bearerAfter.status, bearerAfter.text).toBe(200);
  const { access_token } = JSON.parse(bearerAfter.text) as { access_token: string };
  const { payload } = await jwtVerify(access_token, createLocalJWKSet(jwksAfter), { issuer: `${PUBLIC_URL}/${slug}` });
  expect(payload.sub).toBe("psu-1");
  const consoleAfter = await timed(`${base}/tenants/${slug}/keys`, { headers: { cookie } });
  expect(consoleAfter.status).toBe(200);
  expect(consoleAfter.text).toContain(second.kid);
  const audit = await api<{ items: { action: string; target?: { id?: string } }[] }>(200, "GET", `/api/v1/audit?tenant=${slug}`);
  expect(audit.items.filter((e) => e.action === "key.create").length, "keys created: the one refused during the outage left no trace").toBe(2);

  // ---- PostgreSQL crashes (immediate stop: no checkpoint, recovery on start), with the new key published.
  const certsNow = await timed(certsUrl);
  // The throwaway cluster runs with synchronous_commit=off (speed): a commit
  // may sit in WAL buffers that an immediate stop drops. A checkpoint writes
  // them out, so what Keyward saw committed is there after recovery, as with
  // production settings.
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  await admin.query("CHECKPOINT");
  await admin.end();
  await cluster.pause("immediate");
  await new Promise((r) => setTimeout(r, POLL_MS + 200));
  const jwksCrashed = await timed(certsUrl);
  expect(jwksCrashed.status).toBe(200);
  expect(jwksCrashed.text).toBe(certsNow.text);
  expect((await timed(certsUrl, { headers: { "if-none-match": certsNow.headers.get("etag")! } })).status).toBe(304);
  const writeCrashed = await timed(`${base}/api/v1/tenants/${slug}/keys/${encodeURIComponent(second.kid)}/activate`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ force: true, reason: "during the crash" }),
  });
  expect(writeCrashed.status, writeCrashed.text).toBe(503);
  expect(writeCrashed.ms).toBeLessThan(OUTAGE_BOUND_MS);
  expect((await jwtBearer()).status).toBe(503);
  await cluster.resume();
  await waitReady(base);
  await api(200, "POST", `/api/v1/tenants/${slug}/keys/${encodeURIComponent(second.kid)}/activate`, { force: true, reason: "after the crash" });
  const signedBySecond = JSON.parse((await jwtBearer()).text) as { access_token: string };
  const { protectedHeader } = await jwtVerify(signedBySecond.access_token, createLocalJWKSet(JSON.parse((await timed(certsUrl)).text) as JSONWebKeySet), { issuer: `${PUBLIC_URL}/${slug}` });
  expect(protectedHeader.kid, "tokens are signed by the key activated after the crash").toBe(second.kid);

  // ---- PostgreSQL hangs (every process of the cluster stopped with SIGSTOP): connections
  // open but nothing answers. Bounded by the query and connect timeouts (lib/db.ts), not by TCP.
  const certsBeforeHang = await timed(certsUrl);
  const frozen = clusterProcesses(cluster);
  signal(frozen, "SIGSTOP");
  try {
    await new Promise((r) => setTimeout(r, POLL_MS + 200));
    const jwksHung = await timed(certsUrl);
    expect(jwksHung.status).toBe(200);
    expect(jwksHung.text).toBe(certsBeforeHang.text);
    expect(jwksHung.ms, "the JWKS waits at most one poll interval for a database that hangs").toBeLessThan(POLL_MS + 2_000);
    const [writeHung, readyHung, bearerHung] = await Promise.all([
      timed(`${base}/api/v1/tenants/${slug}/keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ source: "generate", alg: "ES256" }),
      }),
      timed(`${base}/api/v1/health/ready`),
      jwtBearer(),
    ]);
    expect(writeHung.status, writeHung.text).toBe(503);
    expect(JSON.parse(writeHung.text)).toMatchObject({ code: "database_unavailable" });
    expect(writeHung.ms).toBeLessThan(HANG_BOUND_MS);
    expect(readyHung.status).toBe(503);
    expect(readyHung.ms, "the readiness probe's own timeout").toBeLessThan(3_000 + 2_000);
    expect(bearerHung.status, bearerHung.text).toBe(503);
    expect(bearerHung.ms).toBeLessThan(HANG_BOUND_MS);
    console.log(
      `[database-outage] waits while stopped: admin write ${Math.round(write.ms)} ms, jwt-bearer ${Math.round(bearerDown.ms)} ms, readiness ${Math.round(ready.ms)} ms; ` +
        `while hung: JWKS ${Math.round(jwksHung.ms)} ms, admin write ${Math.round(writeHung.ms)} ms, jwt-bearer ${Math.round(bearerHung.ms)} ms, readiness ${Math.round(readyHung.ms)} ms`,
    );
  } finally {
    signal(frozen, "SIGCONT");
  }
  await waitReady(base);
  await api(201, "POST", `/api/v1/tenants/${slug}/keys`, { source: "generate", alg: "ES256" });
  expect((await jwtBearer()).status).toBe(200);
}

/** The cluster's postmaster and every process under it, from its pid file and /proc. */
function clusterProcesses(cluster: ThrowawayPostgres): number[] {
  const postmaster = Number(fs.readFileSync(path.join(cluster.dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its last ")".
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found = [postmaster];
  for (let i = 0; i < found.length; i++) for (const [pid, ppid] of parents) if (ppid === found[i]) found.push(pid);
  return found;
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // exited meanwhile
    }
  }
}

async function waitReady(base: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await timed(`${base}/api/v1/health/ready`);
    if (r.status === 200) return;
    if (Date.now() > deadline) throw new Error(`not ready 30 s after PostgreSQL came back: ${r.text}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Signs in to the console as the bootstrap admin (next-auth credentials), answering the session cookie. */
async function signIn(base: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email: ADMIN_EMAIL, password: ADMIN_PASSWORD, json: "true" }).toString(),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return session.split(";")[0]!;
}
