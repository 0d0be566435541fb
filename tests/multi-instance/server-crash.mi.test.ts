// kill -9 of a real Keyward server (the production build, on PostgreSQL)
// while a large configuration import (PUT /api/v1/tenants/{t}/config), a PEM
// key import (POST …/keys) and a Dynamic Client Registration (POST
// /{t}/register) are in flight, at several delays. After each kill a new
// server process starts on the same database, as a supervisor would restart
// it, and must start cleanly; what the database holds must be all or nothing
// per request (tests/integration/write-invariants.ts); every request that
// was answered with success must have kept its effect; the public JWKS of
// the restarted server must list exactly the published keys, public members
// only. KEYWARD_LONG_TESTS=1 runs more kills.

import "reflect-metadata";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { X509CertificateGenerator } from "@peculiar/x509";
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { startTestJwksServer, type TestJwksServer } from "@/lib/jwks-fetch/test-jwks-server";
import { registrationClaims, ssaClaims } from "../integration/dcr-claims";
import { checkWriteInvariants } from "../integration/write-invariants";
import { createDatabase, makeTmpDir, startInstances, type Instance } from "./instances";

const LONG = process.env.KEYWARD_LONG_TESTS === "1";
const KILLS = LONG ? 12 : 5;
/**
 * When the server is killed: a fraction of the time the warm server took to
 * answer the three requests just before. It starts at 0.8 and follows the
 * writes: later when a kill cut every request short with nothing written,
 * earlier when every request was answered, so the kills keep landing while
 * the writes are under way.
 */
const FIRST_KILL_AT = 0.8;
/** A large import: the transaction writes each key and its audit event. */
const KEYS_PER_IMPORT = 40;
const API_TOKEN = `kw_crash_${randomBytes(24).toString("hex")}`;
const PUBLIC_URL = "http://keyward-crash.test";
type Body = Record<string, unknown> | string;
const KEK = randomBytes(32);

interface Sent {
  what: "config" | "pem" | "dcr";
  batch: string;
  /** The answer's status and body, or null when the connection died with the server. */
  answer: { status: number; body: Record<string, unknown> } | null;
}

describe("a server killed while imports and registrations are in flight", () => {
  let tmp: string;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let client: Db | undefined;
  let directory: TestJwksServer;
  let tpp: TestJwksServer;
  let server: Instance | undefined;
  const logs: Instance[] = [];
  let failed = false;
  let generation = 0;

  const start = async (): Promise<Instance> => {
    const [inst] = await startInstances([`crash-${++generation}`], {
      databaseUrl: database!.url,
      tmpDir: tmp,
      env: {
        KEYWARD_KEK: KEK.toString("base64url"),
        AUTH_SECRET: randomBytes(48).toString("base64url"),
        KEYWARD_PUBLIC_URL: PUBLIC_URL,
        KEYWARD_BOOTSTRAP_API_TOKEN: API_TOKEN,
        KEYWARD_OUTBOUND_ALLOW: "127.0.0.2",
        KEYWARD_SCHEDULER: "off",
        LOG_LEVEL: "warn",
      },
    });
    logs.push(inst!);
    return inst!;
  };

  beforeAll(async () => {
    tmp = makeTmpDir();
    database = await createDatabase(inject("miDatabaseUrl"), "micrash");
    client = createDb(database.url);
    [directory, tpp] = await Promise.all([startTestJwksServer({ alg: "PS256", host: "127.0.0.2" }), startTestJwksServer({ alg: "PS256", host: "127.0.0.2" })]);
  });

  afterAll(async () => {
    await server?.stop();
    if (failed) for (const i of logs.slice(-3)) process.stderr.write(`\n--- ${i.name} (port ${i.port}), last lines of ${i.logFile} ---\n${i.logTail(60)}\n`);
    await client?.$disconnect();
    await Promise.all([directory?.close(), tpp?.close()]);
    await database?.drop().catch((error: unknown) => process.stderr.write(`could not drop the test database: ${(error as Error).message}\n`));
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it(`keeps every request all or nothing across ${KILLS} kills, and restarts cleanly each time`, async () => {
    try {
      await drill();
    } catch (error) {
      failed = true;
      throw error;
    }
  });

  async function drill(): Promise<void> {
    server = await start();
    const slug = `crash-${randomBytes(3).toString("hex")}`;
    const call = async (inst: Instance, method: string, pathname: string, body?: unknown, contentType = "application/json"): Promise<{ status: number; body: Record<string, unknown> }> => {
      const res = await fetch(`${inst.url}${pathname}`, {
        method,
        headers: { authorization: `Bearer ${API_TOKEN}`, ...(body === undefined ? {} : { "content-type": contentType }) },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };
    const ok = async (inst: Instance, status: number, method: string, pathname: string, body?: unknown) => {
      const answer = await call(inst, method, pathname, body);
      if (answer.status !== status) throw new Error(`${method} ${pathname}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    };

    await ok(server, 201, "POST", "/api/v1/tenants", { slug, name: "Crash drill", profile: "generic" });
    const first = (await ok(server, 201, "POST", `/api/v1/tenants/${slug}/keys`, { source: "generate", alg: "ES256" })) as { kid: string };
    await ok(server, 200, "POST", `/api/v1/tenants/${slug}/keys/${encodeURIComponent(first.kid)}/activate`, { force: true, reason: "crash drill" });
    await ok(server, 201, "POST", `/api/v1/tenants/${slug}/directories`, { kind: "external", name: "Open Banking sandbox", issuer: "OpenBanking Ltd", environment: "sandbox", jwksUri: directory.jwksUrl });
    await checkWriteInvariants(client!, KEK, slug, "before the drill", KEYS_PER_IMPORT);

    const prepare = async (batch: string): Promise<{ batch: string; bodies: [Body, Body, Body] }> => {
      const bodies = await Promise.all([configImport(`${batch}-config`), pemImport(`${batch}-pem`), registration(`${PUBLIC_URL}/${slug}`, `${batch}-dcr`)]);
      return { batch, bodies };
    };
    const fire = (inst: Instance, { batch, bodies: [configBody, pemBody, dcrBody] }: Awaited<ReturnType<typeof prepare>>): Promise<Sent[]> => {
      const settle = (what: Sent["what"], p: Promise<{ status: number; body: Record<string, unknown> }>): Promise<Sent> =>
        p.then(
          (answer) => ({ what, batch, answer }),
          () => ({ what, batch, answer: null }),
        );
      return Promise.all([
        settle("config", call(inst, "PUT", `/api/v1/tenants/${slug}/config`, configBody)),
        settle("pem", call(inst, "POST", `/api/v1/tenants/${slug}/keys`, pemBody)),
        settle("dcr", call(inst, "POST", `/${slug}/register`, dcrBody, "application/jwt")),
      ]);
    };
    // A restarted server loads each route's code, opens its connections and
    // fetches the directory's and the TPP's keys on its first requests: a
    // full round of the three writes warms it, a second one measures how long
    // they take warm, so each kill can be placed at a fraction of that.
    const warm = async (inst: Instance, batch: string): Promise<number> => {
      let took = 0;
      for (const pass of ["a", "b"]) {
        const prepared = await prepare(`${batch}${pass}`);
        const started = performance.now();
        const sent = await fire(inst, prepared);
        expect(sent.map((x) => x.answer?.status), JSON.stringify(sent)).toEqual([200, 201, 201]);
        took = performance.now() - started;
      }
      return took;
    };

    const answered: string[] = [];
    const timings: number[] = [];
    let fraction = FIRST_KILL_AT;
    for (let round = 1; round <= KILLS; round++) {
      const victim = server;
      const prepared = await prepare(`r${round}`);
      const took = await warm(victim, `w${round}`);
      timings.push(Math.round(took));
      const delay = Math.round(fraction * took);
      const where = `after kill ${round} (${delay} ms into requests that took ${Math.round(took)} ms on this server)`;
      const inFlight = fire(victim, prepared);
      await new Promise((r) => setTimeout(r, delay));
      const exited = new Promise<void>((resolve) => (victim.child.exitCode !== null ? resolve() : victim.child.once("exit", () => resolve())));
      victim.child.kill("SIGKILL");
      await exited;
      const sent = await inFlight;

      // A supervisor restarts it: the new process must start cleanly (startInstances waits for a healthy answer).
      server = await start();
      const held = await checkWriteInvariants(client!, KEK, slug, where, KEYS_PER_IMPORT);

      // What was answered with success was committed before the answer.
      for (const s of sent) {
        if (!s.answer) {
          // Cut short: either committed before the kill (kept whole) or not at all (checked above).
          const kept =
            s.what === "config"
              ? held.published.some((k) => k.startsWith(`${s.batch}-config-`))
              : s.what === "pem"
                ? held.published.includes(`${s.batch}-pem`)
                : (await client!.client.count({ where: { softwareId: `${s.batch}-dcr` } })) > 0;
          answered.push(`${s.batch}-${s.what}:cut(${kept ? "committed" : "nothing"})`);
          continue;
        }
        answered.push(`${s.batch}-${s.what}:${s.answer.status}`);
        if (s.answer.status >= 300) {
          expect(s.answer?.status ?? 0, `${where}: ${s.what} answered ${JSON.stringify(s.answer?.body)}`).not.toBeGreaterThanOrEqual(500);
          continue;
        }
        if (s.what === "config") expect(held.published.filter((k) => k.startsWith(`${s.batch}-config-`)).length, `${where}: the answered import`).toBe(KEYS_PER_IMPORT);
        if (s.what === "pem") expect(held.published, `${where}: the answered PEM import`).toContain(`${s.batch}-pem`);
        if (s.what === "dcr") expect(await client!.client.count({ where: { clientId: String(s.answer.body.client_id) } }), `${where}: the answered registration`).toBe(1);
      }

      const outcome = answered.slice(-3);
      if (outcome.every((a) => a.endsWith(":cut(nothing)"))) fraction *= 1.3;
      else if (outcome.every((a) => /:\d+$/.test(a))) fraction *= 0.75;

      // The restarted server publishes exactly the published keys, public members only.
      const res = await fetch(`${server.url}/${slug}/oauth2/v1/certs`);
      expect(res.status, where).toBe(200);
      const jwks = (await res.json()) as JSONWebKeySet;
      expect(jwks.keys.map((k) => k.kid).sort(), `${where}: the JWKS`).toEqual([...held.published].sort());
      for (const k of jwks.keys) expect(Object.keys(k).filter((m) => ["d", "p", "q", "dp", "dq", "qi"].includes(m)), `${where}: ${k.kid}`).toEqual([]);
    }

    // After every crash, the same writes go through on the last server.
    await warm(server, "w-last");
    const last = await fire(server, await prepare("r-last"));
    expect(last.map((s) => s.answer?.status)).toEqual([200, 201, 201]);
    const final = await checkWriteInvariants(client!, KEK, slug, "at the end", KEYS_PER_IMPORT);
    console.log(`[server-crash] ${KILLS} kills (the three requests took ${timings.join(", ")} ms on each server warmed); answers before each kill: ${answered.join(", ")}; the tenant holds ${final.keys} keys (${final.imports} imports) and ${final.clients} registered clients`);
  }

  /** A configuration import with KEYS_PER_IMPORT new keys (private JWKs) and a new tenant name. */
  async function configImport(prefix: string) {
    const signingKeys = [];
    for (let i = 0; i < KEYS_PER_IMPORT; i++) {
      const { privateKey } = await generateKeyPair("ES256", { extractable: true });
      signingKeys.push({ jwk: await exportJWK(privateKey), kid: `${prefix}-${i}`, alg: "ES256" });
    }
    return { format: "keyward.tenant-config/v1", tenant: { name: `Crash ${prefix}` }, signingKeys };
  }

  async function pemImport(kid: string) {
    const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
    const keys = await crypto.subtle.generateKey(alg, true, ["sign", "verify"]);
    const cert = await X509CertificateGenerator.createSelfSigned({ serialNumber: "01", name: `CN=${kid}`, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000), keys, signingAlgorithm: alg });
    const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", keys.privateKey)).toString("base64");
    const label = ["PRIVATE", "KEY"].join(" ");
    return { source: "pem", certificatePem: cert.toString("pem"), privateKeyPem: `-----BEGIN ${label}-----\n${pkcs8.match(/.{1,64}/g)!.join("\n")}\n-----END ${label}-----\n`, kid };
  }

  async function registration(issuer: string, softwareId: string): Promise<string> {
    const directoryKey = await importJWK(await exportJWK(directory.keys[0]!.privateKey), "PS256");
    const ssa = await new SignJWT(ssaClaims(softwareId, { jwksEndpoint: tpp.jwksUrl, name: "Crash TPP" }, { software_roles: ["AISP"] }))
      .setProtectedHeader({ alg: "PS256", kid: directory.keys[0]!.kid, typ: "JWT" })
      .sign(directoryKey);
    return tpp.sign(registrationClaims(issuer, softwareId, ssa, { scope: "openid accounts" }));
  }
});
