/**
 * Sustained mixed load on the built server, as `npm start` runs it, on
 * loopback only and bounded in time: the JWKS (plain and conditional), the
 * token endpoint (client_credentials and jwt-bearer with a fresh assertion
 * per request) and admin API reads, all at once. It asserts what an operator
 * would check after such a run: no errors, no unexpected answers, every
 * sampled access token verifies against the published JWKS, and the server's
 * memory stays flat and under the product's 300 MB. Speed is measured by
 * `npm run bench`, not asserted here; the figures are written down
 * (bench/load-results.json and .md, the README's Performance section).
 *
 * KEYWARD_LONG_TESTS=1 (CI): 10 s of warm-up and 60 s measured. Otherwise a
 * smoke run of 3 s and 10 s.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, makeDataDir, startKeyward, type KeywardServer } from "../../bench/lib/keyward.mjs";
import { load, type LoadRequest } from "../../bench/lib/load.mjs";
import { machine } from "../../bench/lib/report.mjs";
import { JWT_BEARER, seedBenchTenant, TENANT } from "../../bench/lib/setup.mjs";
import { LOAD_RESULTS_MD, writeLoadResults, type LoadResults, type StreamResult } from "./results";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const LONG = process.env.KEYWARD_LONG_TESTS === "1";
const WARM_UP_S = LONG ? 10 : 3;
const MEASURED_S = LONG ? 60 : 10;
const MB = 2 ** 20;
/** The product's memory target (README, Performance): RSS at most 300 MB under load. */
const RSS_LIMIT_MB = 300;
/**
 * Flat: the median RSS of the last third of the run at most this much above
 * the first third's (after the warm-up). The server starts at about 220 MB and
 * its V8 heap still settles during the first minute of load (it collects at a
 * budget of 512 MiB: a few percent of growth that levels off, measured at
 * +4 % over 60 s); 10 % is ~25 MB, which a leak of about 1.5 KB per request
 * exceeds at the ~20,000 requests between the two medians of a long run on a
 * busy 2-core machine (the results record the exact bound of each run). A
 * smoke run is too short for that bound: in 10 s the settling heap moves
 * more than a leak would, hence 20 % there.
 */
const FLAT_TOLERANCE = LONG ? 0.1 : 0.2;
/** Every this many token answers one is kept and verified against the JWKS afterwards. */
const SAMPLE_EVERY = 10;
const SAMPLE_MAX = 400;

const FORM = "application/x-www-form-urlencoded";
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

interface Stream {
  name: string;
  connections: number;
  expected: number[];
  requests: LoadRequest[];
  /** Token answers kept for the JWKS check. */
  tokens?: string[];
}

interface Sample {
  t: number;
  rssMB: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs every stream at once for `seconds` (bench/lib/load.mjs: autocannon, bounded in time); answers each stream's result. */
async function drive(url: string, streams: Stream[], seconds: number): Promise<StreamResult[]> {
  return Promise.all(
    streams.map(async (s) => {
      const run = await load({ url, path: s.requests[0]!.path, connections: s.connections, duration: seconds, requests: s.requests });
      return {
        name: s.name,
        connections: s.connections,
        requests: run.responses,
        errors: run.errors,
        timeouts: run.timeouts,
        statusCodes: run.statusCodes,
        unexpected: Object.entries(run.statusCodes)
          .filter(([code]) => !s.expected.includes(Number(code)))
          .reduce((n, [, count]) => n + count, 0),
        latencyMs: { p50: run.latency.p50, p99: run.latency.p99, max: run.latency.max },
        requestsPerSecond: round(run.rps),
      };
    }),
  );
}

describe(`sustained mixed load on the built server (${LONG ? "long" : "smoke"}: ${WARM_UP_S} s warm-up, ${MEASURED_S} s measured)`, () => {
  const closers: (() => unknown)[] = [];
  let server: KeywardServer;
  let streams: Stream[];
  let issuer: string;

  beforeAll(async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-load-"));
    closers.push(() => fs.rmSync(tmp, { recursive: true, force: true }));
    server = await startKeyward({ root: ROOT, dataDir: makeDataDir(tmp, "load"), name: "load" });
    closers.push(() => server.stop());
    const seeded = await seedBenchTenant({ closers }, server.url);
    issuer = `${server.url}/${TENANT}`;
    const tokenPath = `/${TENANT}/oauth2/token`;
    const tokenEndpoint = `${server.url}${tokenPath}`;
    const certsPath = `/${TENANT}/oauth2/v1/certs`;
    const certs = await fetch(`${server.url}${certsPath}`);
    await certs.arrayBuffer();
    const etag = certs.headers.get("etag");
    expect(etag, "the JWKS answers an ETag").toBeTruthy();
    const auth = basic(seeded.client.id, seeded.client.secret);
    const keep = (list: string[]) => {
      let seen = 0;
      return (status: number, body: string) => {
        if (status === 200 && seen++ % SAMPLE_EVERY === 0 && list.length < SAMPLE_MAX) list.push((JSON.parse(body) as { access_token: string }).access_token);
      };
    };
    const ccTokens: string[] = [];
    const bearerTokens: string[] = [];
    const admin = { authorization: `Bearer ${API_TOKEN}` };
    streams = [
      { name: "GET /{tenant}/oauth2/v1/certs", connections: 4, expected: [200], requests: [{ method: "GET", path: certsPath }] },
      { name: "GET /{tenant}/oauth2/v1/certs, If-None-Match", connections: 4, expected: [304], requests: [{ method: "GET", path: certsPath, headers: { "if-none-match": etag! } }] },
      {
        name: "POST /{tenant}/oauth2/token, client_credentials",
        connections: 4,
        expected: [200],
        tokens: ccTokens,
        requests: [{ method: "POST", path: tokenPath, headers: { "content-type": FORM, authorization: auth }, body: "grant_type=client_credentials", onResponse: keep(ccTokens) }],
      },
      {
        // Refused on purpose, beside the rest: the refusals are counted, and nothing else fails with them.
        name: "POST /{tenant}/oauth2/token, wrong client secret (refused on purpose)",
        connections: 1,
        expected: [401],
        requests: [{ method: "POST", path: tokenPath, headers: { "content-type": FORM, authorization: basic(seeded.client.id, `${seeded.client.secret}x`) }, body: "grant_type=client_credentials" }],
      },
      {
        name: "POST /{tenant}/oauth2/token, jwt-bearer",
        connections: 4,
        expected: [200],
        tokens: bearerTokens,
        requests: [
          {
            method: "POST",
            path: tokenPath,
            headers: { "content-type": FORM, authorization: auth },
            // A jti is single-use: each request signs a fresh assertion.
            setupRequest: (req) => ({ ...req, body: `grant_type=${encodeURIComponent(JWT_BEARER)}&assertion=${seeded.idp.sign(tokenEndpoint)}` }),
            onResponse: keep(bearerTokens),
          },
        ],
      },
      {
        name: "GET /api/v1 (keys, clients, identity providers, audit)",
        connections: 2,
        expected: [200],
        requests: [
          { method: "GET", path: `/api/v1/tenants/${TENANT}/keys`, headers: admin },
          { method: "GET", path: `/api/v1/tenants/${TENANT}/clients`, headers: admin },
          { method: "GET", path: `/api/v1/tenants/${TENANT}/identity-providers`, headers: admin },
          { method: "GET", path: `/api/v1/audit?tenant=${TENANT}`, headers: admin },
        ],
      },
    ];
    // The setup works before anything is measured: one of each answers as expected.
    for (const s of streams) {
      for (const r of s.requests) {
        const body = r.setupRequest ? r.setupRequest({ ...r }).body : r.body;
        const res = await fetch(`${server.url}${r.path}`, { method: r.method, headers: r.headers, body });
        const text = await res.text();
        expect(s.expected, `${s.name} ${r.path}: ${res.status} ${text.slice(0, 300)}`).toContain(res.status);
      }
    }
  }, 120_000);

  afterAll(async () => {
    for (const close of closers.splice(0).reverse()) await Promise.resolve().then(close).catch(() => undefined);
  });

  it(
    "answers every request as expected, issues tokens that verify against the JWKS, and keeps its memory flat",
    async () => {
      const startedAt = new Date();
      const warm = await drive(server.url, streams, WARM_UP_S);
      for (const s of streams) s.tokens?.splice(0);
      const samples: Sample[] = [];
      const t0 = performance.now();
      const sample = () => samples.push({ t: round((performance.now() - t0) / 1000), rssMB: round(server.memory().rss / MB) });
      sample();
      const timer = setInterval(sample, 1000);
      let measured: StreamResult[];
      try {
        measured = await drive(server.url, streams, MEASURED_S);
      } finally {
        clearInterval(timer);
      }
      sample();
      const end = server.memory();

      // Tokens: every sampled one verifies with the published keys.
      const jwks = (await (await fetch(`${server.url}/${TENANT}/oauth2/v1/certs`)).json()) as JSONWebKeySet;
      const keySet = createLocalJWKSet(jwks);
      const tokens = streams.flatMap((s) => s.tokens ?? []);
      let verified = 0;
      for (const token of tokens) {
        const { payload, protectedHeader } = await jwtVerify(token, keySet, { issuer, audience: issuer, typ: "at+jwt" });
        expect(protectedHeader.kid).toBe(decodeProtectedHeader(token).kid);
        expect(payload.client_id).toBeTruthy();
        verified++;
      }

      // Memory: the thirds of the measured run, compared by their medians.
      const third = Math.floor(samples.length / 3);
      const firstThird = median(samples.slice(0, third).map((s) => s.rssMB));
      const lastThird = median(samples.slice(-third).map((s) => s.rssMB));
      const growth = lastThird / firstThird - 1;
      const maxMB = round(end.hwm / MB);
      // The two medians are two thirds of the run apart.
      const requestsBetweenMedians = measured.reduce((n, s) => n + s.requests, 0) * (2 / 3);

      const results: LoadResults = {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        mode: LONG ? "long" : "smoke",
        warmUpSeconds: WARM_UP_S,
        durationSeconds: MEASURED_S,
        machine: machine(),
        loadAverage: os.loadavg().map((v) => round(v, 2)),
        streams: measured,
        warmUp: warm.map((s) => ({ name: s.name, requests: s.requests, errors: s.errors, unexpected: s.unexpected })),
        totals: {
          requests: measured.reduce((n, s) => n + s.requests, 0),
          errors: measured.reduce((n, s) => n + s.errors + s.timeouts, 0),
          unexpected: measured.reduce((n, s) => n + s.unexpected, 0),
        },
        tokensVerified: verified,
        memory: {
          source: "/proc/<pid>/status (VmRSS each second, VmHWM for the peak)",
          startMB: samples[0]!.rssMB,
          endMB: samples.at(-1)!.rssMB,
          maxMB,
          firstThirdMedianMB: firstThird,
          lastThirdMedianMB: lastThird,
          growthPercent: round(growth * 100),
          tolerancePercent: FLAT_TOLERANCE * 100,
          limitMB: RSS_LIMIT_MB,
          leakPerRequestBoundBytes: Math.round((FLAT_TOLERANCE * firstThird * MB) / Math.max(1, requestsBetweenMedians)),
          samples,
        },
      };
      const written = writeLoadResults(ROOT, results, { committed: LONG });
      console.log(`[load] ${results.totals.requests} requests in ${MEASURED_S} s, ${verified} tokens verified, RSS ${results.memory.startMB} → ${results.memory.endMB} MB (max ${maxMB}, ${results.memory.growthPercent} %); wrote ${written.join(", ")}`);
      if (!LONG) console.log(fs.readFileSync(path.join(ROOT, LOAD_RESULTS_MD.smoke), "utf8"));

      for (const s of [...warm, ...measured]) {
        expect({ stream: s.name, errors: s.errors, timeouts: s.timeouts, unexpected: s.unexpected }).toEqual({ stream: s.name, errors: 0, timeouts: 0, unexpected: 0 });
        expect(s.requests, s.name).toBeGreaterThan(0);
      }
      expect(verified, "access tokens sampled").toBeGreaterThan(0);
      expect(tokens.length).toBe(verified);
      expect(maxMB, `peak RSS (VmHWM) ≤ ${RSS_LIMIT_MB} MB`).toBeLessThanOrEqual(RSS_LIMIT_MB);
      expect(growth, `RSS growth from the first third (${firstThird} MB) to the last (${lastThird} MB)`).toBeLessThanOrEqual(FLAT_TOLERANCE);
      expect(server.exited, "the server is still running").toBeNull();
    },
    (WARM_UP_S + MEASURED_S) * 1000 + 90_000,
  );
});
