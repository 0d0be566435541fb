// Key rotation across two real Keyward processes on one PostgreSQL database,
// as a deployment with two replicas runs it: both start at once on an empty
// database, both run the rotation scheduler (200 ms ticks, one lease holder at
// a time), and operators fire rotations at either of them while relying
// parties fetch the JWKS from either and verify tokens from both.
//
// What is checked is what an operator or a relying party would notice: a
// rotation accepted is carried out (once), a refused one says why, there is
// always exactly one signing key, the JWKS is never empty and never fails,
// no token carries a kid its verifier could not know yet, both instances
// publish the same keys within 3 s of a change, and every transition is in
// the audit log under the actor that made it.

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, requestInstance, twoInstancesOnOneDatabase, type Instance } from "./instances";
import { RelyingParty, type Verdict } from "./relying-party";

const API_TOKEN = `kw_mi_${randomBytes(24).toString("hex")}`;
/** Both instances behind one public URL, as behind a load balancer: one issuer. */
const PUBLIC_URL = "http://keyward-mi.test";
const POLICY = {
  jwksMaxAgeSeconds: 1,
  propagationSeconds: 1,
  retentionSeconds: 4,
  accessTokenTtlSeconds: 2,
  rotationIntervalSeconds: 6,
  autoActivate: true,
};
/** A new key signs max(propagation, JWKS max-age) + 2 s of slack after it was published. */
const PROPAGATION_MS = 3_000;
/** Both instances must serve the same, current JWKS this long after a change. */
const CONVERGENCE_MS = 3_000;
/** The scheduler ticks every 200 ms: a planned key must not wait much longer than that. */
const ACTIVATION_LATENESS_MS = 3_000;
/** An instance sees another's change within POLL_MS (1 s); it stops signing with a retired key within the slack. */
const SIGNING_LAG_MS = 2_500;

const ROTATIONS = 20;
const BURSTS = 5;
/** More than the 3 s propagation: each burst finds the previous burst's key active (or about to be). */
const BURST_SPACING_MS = 4_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ApiAnswer {
  status: number;
  body: unknown;
}

async function api(inst: Instance, method: string, pathname: string, body?: unknown): Promise<ApiAnswer> {
  const res = await requestInstance(inst, API_TOKEN, method, pathname, body);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}

async function apiExpect<T>(inst: Instance, status: number, method: string, pathname: string, body?: unknown): Promise<T> {
  const answer = await api(inst, method, pathname, body);
  if (answer.status !== status) {
    throw new Error(`${method} ${pathname} on ${inst.name}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body as T;
}

interface KeyRow {
  kid: string;
  state: string;
  sealed: boolean;
  created: number;
  activated: number | null;
  retired: number | null;
  removed: number | null;
  activates: number | null;
}

async function keyRows(sql: pg.Client, tenantSlug: string): Promise<KeyRow[]> {
  const ms = (col: string) => `(extract(epoch from k."${col}") * 1000)::float8 AS "${col}"`;
  const { rows } = await sql.query<{
    kid: string;
    state: string;
    sealed: boolean;
    createdAt: number;
    activatedAt: number | null;
    retiredAt: number | null;
    removedAt: number | null;
    activatesAt: number | null;
  }>(
    `SELECT k.kid, k.state, k."privateKeySealed" IS NOT NULL AS sealed, ${["createdAt", "activatedAt", "retiredAt", "removedAt", "activatesAt"].map(ms).join(", ")}
       FROM "SigningKey" k JOIN "Tenant" t ON t.id = k."tenantId" WHERE t.slug = $1 ORDER BY k."createdAt"`,
    [tenantSlug],
  );
  return rows.map((r) => ({
    kid: r.kid,
    state: r.state,
    sealed: r.sealed,
    created: r.createdAt,
    activated: r.activatedAt,
    retired: r.retiredAt,
    removed: r.removedAt,
    activates: r.activatesAt,
  }));
}

interface AuditEvent {
  action: string;
  actor: { type: string; label: string };
  target: { type: string; id: string } | null;
  at: string;
}

async function auditOf(inst: Instance, tenantSlug: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `tenant=${encodeURIComponent(tenantSlug)}&action=key.*&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page: { items: AuditEvent[]; nextCursor: string | null } = await apiExpect(inst, 200, "GET", `/api/v1/audit?${query}`);
    events.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return events;
}

function kidOf(jwt: string): string | undefined {
  try {
    return (JSON.parse(Buffer.from(jwt.split(".")[0] ?? "", "base64url").toString("utf8")) as { kid?: string }).kid;
  } catch {
    return undefined;
  }
}

/** A tenant with a policy and an active key, created through `inst`, once every instance serves its JWKS. */
async function newTenant(inst: Instance, policy: Record<string, unknown> & { jwksMaxAgeSeconds: number }, everyInstance: Instance[]) {
  const slug = `mi-${randomBytes(4).toString("hex")}`;
  await apiExpect(inst, 201, "POST", "/api/v1/tenants", { slug, name: `Multi-instance ${slug}`, profile: "generic" });
  await apiExpect(inst, 200, "PUT", `/api/v1/tenants/${slug}/rotation-policy`, policy);
  const key = await apiExpect<{ kid: string }>(inst, 201, "POST", `/api/v1/tenants/${slug}/keys`, { source: "generate" });
  await apiExpect(inst, 200, "POST", `/api/v1/tenants/${slug}/keys/${encodeURIComponent(key.kid)}/activate`, {});
  // Another instance learns of a new tenant (and of its policy) within its poll interval.
  const maxAge = `public, max-age=${policy.jwksMaxAgeSeconds}`;
  for (const other of everyInstance) {
    await waitFor(`tenant ${slug} on instance ${other.name}`, 5_000, async () => {
      const seen = await observeJwks(other, slug);
      return seen.kids.includes(key.kid) && seen.cacheControl === maxAge ? true : undefined;
    });
  }
  return { slug, firstKid: key.kid };
}

// ---------------------------------------------------------------- observations

interface JwksObservation {
  instance: string;
  start: number;
  end: number;
  status: number;
  etag: string | null;
  cacheControl: string | null;
  kids: string[];
  error?: string;
}

interface TokenObservation {
  instance: string;
  start: number;
  end: number;
  status: number;
  kid?: string;
  verdicts: { rp: string; verdict: Verdict }[];
  error?: string;
}

interface RotationAttempt {
  i: number;
  instance: string;
  start: number;
  end: number;
  status: number;
  body: unknown;
}

interface Storm {
  slug: string;
  firstKid: string;
  stoppedAt: number;
  rotations: RotationAttempt[];
  jwks: JwksObservation[];
  tokens: TokenObservation[];
  db: { t: number; active: string[]; published: number }[];
  keys: KeyRow[];
  audit: AuditEvent[];
  systemRotated: string[];
  rps: RelyingParty[];
}

async function observeJwks(inst: Instance, slug: string): Promise<JwksObservation> {
  const start = Date.now();
  try {
    const res = await fetch(`${inst.url}/${slug}/oauth2/v1/certs`, { signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    let kids: string[] = [];
    try {
      kids = ((JSON.parse(text) as { keys?: { kid?: string }[] }).keys ?? []).map((k) => String(k.kid));
    } catch {
      // kids stays empty: the assertions say so
    }
    return { instance: inst.name, start, end: Date.now(), status: res.status, etag: res.headers.get("etag"), cacheControl: res.headers.get("cache-control"), kids };
  } catch (error) {
    return { instance: inst.name, start, end: Date.now(), status: 0, etag: null, cacheControl: null, kids: [], error: (error as Error).message };
  }
}

async function requestToken(inst: Instance, slug: string, client: { clientId: string; clientSecret: string }): Promise<{ status: number; token?: string; body: string }> {
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString("base64");
  const res = await fetch(`${inst.url}/${slug}/oauth2/token`, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.text();
  const token = res.status === 200 ? (JSON.parse(body) as { access_token: string }).access_token : undefined;
  return { status: res.status, token, body };
}

/** Runs `fn` every `everyMs` until `stopped()`; the loop's promise resolves after the last run. */
async function repeat(stopped: () => boolean, everyMs: number, fn: () => Promise<void>): Promise<void> {
  while (!stopped()) {
    await fn();
    await sleep(everyMs);
  }
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

// ---------------------------------------------------------------- the suite

describe("two Keyward instances on one PostgreSQL database", () => {
  const mi = twoInstancesOnOneDatabase("mi", {
    KEYWARD_PUBLIC_URL: PUBLIC_URL,
    KEYWARD_BOOTSTRAP_API_TOKEN: API_TOKEN,
    KEYWARD_SCHEDULER_INTERVAL_MS: "200",
    LOG_LEVEL: "warn",
  });
  let instances: Instance[] = [];
  let a: Instance;
  let b: Instance;
  let sql: pg.Client | undefined;

  beforeAll(async () => {
    ({ a, b, instances } = mi);
    sql = new pg.Client({ connectionString: mi.databaseUrl });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end().catch(() => {});
  });

  it("both start at once on an empty database: migrated and bootstrapped exactly once", async () => {
    const { rows } = await sql!.query<{ users: number; tokens: number; tenants: number; migrations: number; canaries: number }>(
      `SELECT (SELECT count(*) FROM "User")::int AS users, (SELECT count(*) FROM "ApiToken")::int AS tokens,
              (SELECT count(*) FROM "Tenant")::int AS tenants, (SELECT count(*) FROM "_prisma_migrations")::int AS migrations,
              (SELECT count(*) FROM "Setting" WHERE key = 'kek.canary')::int AS canaries`,
    );
    const migrationsOnDisk = fs.readdirSync(path.join(ROOT, "prisma/migrations/postgresql"), { withFileTypes: true }).filter((d) => d.isDirectory()).length;
    expect(rows[0]).toEqual({ users: 1, tokens: 1, tenants: 1, migrations: migrationsOnDisk, canaries: 1 });
    const keys = await keyRows(sql!, "default");
    expect(keys.map((k) => k.state)).toEqual(["active"]);
    const [fromA, fromB] = await Promise.all([observeJwks(a, "default"), observeJwks(b, "default")]);
    expect(fromA).toMatchObject({ status: 200, kids: [keys[0]!.kid] });
    expect(fromB).toMatchObject({ status: 200, kids: [keys[0]!.kid], etag: fromA.etag });
  });

  describe(`${ROTATIONS} concurrent rotations over both instances while both schedulers run`, () => {
    let storm: Storm;

    beforeAll(async () => {
      const { slug, firstKid } = await newTenant(a, POLICY, instances);
      const client = await apiExpect<{ clientId: string; clientSecret: string }>(b, 201, "POST", `/api/v1/tenants/${slug}/clients`, {
        name: "mi relying client",
        tokenEndpointAuthMethod: "client_secret_basic",
        grantTypes: ["client_credentials"],
      });
      const issuer = `${PUBLIC_URL}/${slug}`;
      const rps = instances.map((i) => new RelyingParty(`rp-${i.name}`, `${i.url}/${slug}/oauth2/v1/certs`, issuer));
      const tenantId = (await sql!.query<{ id: string }>(`SELECT id FROM "Tenant" WHERE slug = $1`, [slug])).rows[0]!.id;

      const jwks: JwksObservation[] = [];
      const tokens: TokenObservation[] = [];
      const dbSeen: Storm["db"] = [];
      let stop = false;
      const stopped = () => stop;
      const watchers = [
        ...instances.map((inst) => repeat(stopped, 40, async () => void jwks.push(await observeJwks(inst, slug)))),
        ...instances.map((inst) =>
          repeat(stopped, 40, async () => {
            const start = Date.now();
            try {
              const answer = await requestToken(inst, slug, client);
              const end = Date.now();
              const verdicts = answer.token ? await Promise.all(rps.map(async (rp) => ({ rp: rp.name, verdict: await rp.verify(answer.token!) }))) : [];
              tokens.push({ instance: inst.name, start, end, status: answer.status, kid: answer.token ? kidOf(answer.token) : undefined, verdicts, ...(answer.token ? {} : { error: answer.body }) });
            } catch (error) {
              tokens.push({ instance: inst.name, start, end: Date.now(), status: 0, verdicts: [], error: (error as Error).message });
            }
          }),
        ),
        repeat(stopped, 40, async () => {
          const { rows } = await sql!.query<{ kid: string; state: string }>(
            `SELECT kid, state FROM "SigningKey" WHERE "tenantId" = $1 AND state IN ('staged', 'active', 'retired')`,
            [tenantId],
          );
          dbSeen.push({ t: Date.now(), active: rows.filter((r) => r.state === "active").map((r) => r.kid), published: rows.length });
        }),
      ];

      try {
        // The storm: bursts of concurrent rotations, alternating instances,
        // each burst a little after the previous one's key could activate.
        await sleep(500);
        const t0 = Date.now();
        const perBurst = ROTATIONS / BURSTS;
        const rotations = await Promise.all(
          Array.from({ length: ROTATIONS }, async (_, i) => {
            const inst = instances[i % instances.length]!;
            await sleep(Math.floor(i / perBurst) * BURST_SPACING_MS + Math.random() * 400 - (Date.now() - t0));
            const start = Date.now();
            const answer = await api(inst, "POST", `/api/v1/tenants/${slug}/rotate`, {});
            return { i, instance: inst.name, start, end: Date.now(), status: answer.status, body: answer.body } satisfies RotationAttempt;
          }),
        );

        // Left alone, the scheduler rotates by itself once the active key is
        // rotationIntervalSeconds old: wait for one such rotation to activate.
        const systemRotatedSql = `SELECT a."targetId" AS kid FROM "AuditEvent" a JOIN "SigningKey" k ON k.kid = a."targetId" AND k."tenantId" = $2
                                   WHERE a."tenantSlug" = $1 AND a.action = 'key.rotate' AND a."actorType" = 'system' AND k."activatedAt" IS NOT NULL`;
        await waitFor("an automatic rotation by the scheduler", 25_000, async () => {
          const { rows } = await sql!.query(systemRotatedSql, [slug, tenantId]);
          return rows.length > 0 ? true : undefined;
        }).catch(() => {
          // asserted below, with the whole picture
        });
        // Then no more automatic rotations: let the last retired keys go.
        await apiExpect(b, 200, "PUT", `/api/v1/tenants/${slug}/rotation-policy`, { rotationIntervalSeconds: null });
        await waitFor("the last retired key to be removed", 25_000, async () => {
          const { rows } = await sql!.query(`SELECT state FROM "SigningKey" WHERE "tenantId" = $1 AND state IN ('staged', 'retired')`, [tenantId]);
          return rows.length === 0 ? true : undefined;
        });
        // Both instances are watched a while longer: they must agree on the final JWKS.
        await sleep(CONVERGENCE_MS + 600);
        stop = true;
        await Promise.all(watchers);
        const keys = await keyRows(sql!, slug);
        const audit = await auditOf(a, slug);
        const systemRotated = audit.filter((e) => e.action === "key.rotate" && e.actor.type === "system").map((e) => e.target!.id);
        storm = { slug, firstKid, stoppedAt: Date.now(), rotations, jwks, tokens, db: dbSeen, keys, audit, systemRotated, rps };
        const count = (status: number) => rotations.filter((r) => r.status === status).length;
        console.log(
          `[multi-instance] rotations: ${count(202)} accepted, ${count(409)} refused, ${systemRotated.length} by the scheduler; ` +
            `${keys.length} keys; ${tokens.length} tokens, ${tokens.reduce((n, t) => n + t.verdicts.length, 0)} verifications; ` +
            `${jwks.length} JWKS answers; ${dbSeen.length} database observations; relying parties fetched ${rps.map((rp) => `${rp.fetches} (${rp.notModified} not modified)`).join(" and ")}`,
        );
      } finally {
        stop = true;
        await Promise.all(watchers);
      }
    });

    const accepted = () => storm.rotations.filter((r) => r.status === 202);

    it("answers every rotation with 202 or 409, accepts several, and carries each accepted one out", () => {
      const statuses = storm.rotations.map((r) => r.status);
      expect(statuses.filter((s) => s !== 202 && s !== 409), JSON.stringify(storm.rotations.filter((r) => r.status !== 202 && r.status !== 409))).toEqual([]);
      expect(accepted().length).toBeGreaterThanOrEqual(3);
      expect(statuses.filter((s) => s === 409).length).toBeGreaterThanOrEqual(BURSTS);

      const byKid = new Map(storm.keys.map((k) => [k.kid, k]));
      const results = accepted().map((r) => r.body as { kid: string; publishedAt: string; activatesAt: string; activated: boolean; retiringKid: string | null });
      expect(new Set(results.map((r) => r.kid)).size, "an accepted rotation's kid was handed out twice").toBe(results.length);
      for (const r of results) {
        expect(r.activated, `rotation to ${r.kid} claims it signs at once`).toBe(false);
        expect(Date.parse(r.activatesAt) - Date.parse(r.publishedAt), `rotation to ${r.kid}: activation planned too early`).toBeGreaterThanOrEqual(PROPAGATION_MS);
        const key = byKid.get(r.kid);
        expect(key, `rotation to ${r.kid}: no such key in the database`).toBeDefined();
        expect(key!.activated, `rotation to ${r.kid}: never activated`).not.toBeNull();
        expect(key!.activated! - key!.created, `rotation to ${r.kid}: signed before it was published ${PROPAGATION_MS} ms`).toBeGreaterThanOrEqual(PROPAGATION_MS);
        expect(key!.activated!, `rotation to ${r.kid}: activated before its planned time`).toBeGreaterThanOrEqual(Date.parse(r.activatesAt));
        expect(key!.activated! - Date.parse(r.activatesAt), `rotation to ${r.kid}: activated late`).toBeLessThan(ACTIVATION_LATENESS_MS);
      }
      // Each refusal names the rotation under way, which is a real key.
      for (const r of storm.rotations.filter((x) => x.status === 409)) {
        const problem = r.body as { code?: string; detail?: string };
        expect(problem.code).toBe("conflict");
        const pending = /key "([^"]+)" activates at/.exec(problem.detail ?? "")?.[1];
        expect(pending && byKid.has(pending), `409 without a known pending key: ${problem.detail}`).toBe(true);
      }
    });

    it("makes one new active key per completed rotation, nothing else, and no kid twice", () => {
      const acceptedKids = accepted().map((r) => (r.body as { kid: string }).kid);
      expect(storm.systemRotated.length, "the scheduler never rotated by itself after the rotation interval").toBeGreaterThanOrEqual(1);
      const expected = [storm.firstKid, ...acceptedKids, ...storm.systemRotated];
      expect(new Set(expected).size, "a kid was produced twice").toBe(expected.length);
      expect(storm.keys.map((k) => k.kid).sort()).toEqual([...expected].sort());
      expect(storm.keys.filter((k) => k.activated !== null).map((k) => k.kid).sort()).toEqual([...expected].sort());
      // At rest: the newest key signs, every older one has been removed with its private part.
      const newest = storm.keys.reduce((x, y) => (y.activated! > x.activated! ? y : x));
      for (const k of storm.keys) {
        if (k === newest) expect(k).toMatchObject({ state: "active", sealed: true, activates: null });
        else expect(k, `key ${k.kid}`).toMatchObject({ state: "removed", sealed: false, activates: null });
        if (k.removed !== null) {
          expect(k.removed - k.retired!, `key ${k.kid} removed before its retention passed`).toBeGreaterThanOrEqual(POLICY.retentionSeconds * 1000);
        }
      }
    });

    it("has exactly one active key at every observation of the database", () => {
      expect(storm.db.length).toBeGreaterThan(100);
      const wrong = storm.db.filter((o) => o.active.length !== 1 || o.published < 1);
      expect(wrong.slice(0, 5), `${wrong.length} of ${storm.db.length} observations`).toEqual([]);
    });

    it("never serves an empty JWKS or an error, on either instance", () => {
      for (const inst of instances) expect(storm.jwks.filter((o) => o.instance === inst.name).length).toBeGreaterThan(100);
      const bad = storm.jwks.filter((o) => o.status !== 200 || o.kids.length === 0 || o.cacheControl !== `public, max-age=${POLICY.jwksMaxAgeSeconds}`);
      expect(bad.slice(0, 5), `${bad.length} of ${storm.jwks.length} JWKS answers`).toEqual([]);
    });

    it("issues tokens on both instances throughout, each verifiable by relying parties caching either instance's JWKS", () => {
      for (const inst of instances) expect(storm.tokens.filter((t) => t.instance === inst.name && t.status === 200).length).toBeGreaterThan(50);
      const refused = storm.tokens.filter((t) => t.status !== 200);
      expect(refused.slice(0, 5), `${refused.length} of ${storm.tokens.length} token requests failed`).toEqual([]);
      const verdicts = storm.tokens.flatMap((t) => t.verdicts.map((v) => ({ issuedBy: t.instance, at: new Date(t.end).toISOString(), ...v })));
      const unknownKid = verdicts.filter((v) => !v.verdict.ok && v.verdict.unknownKid);
      expect(unknownKid.slice(0, 5), `${unknownKid.length} unknown-kid failures of ${verdicts.length} verifications`).toEqual([]);
      const otherFailures = verdicts.filter((v) => !v.verdict.ok);
      expect(otherFailures.slice(0, 5), `${otherFailures.length} failed verifications`).toEqual([]);
      // The verifiers really did live through the rotations.
      expect(new Set(storm.tokens.map((t) => t.kid)).size).toBeGreaterThanOrEqual(4);
      for (const rp of storm.rps) expect(rp.fetches).toBeGreaterThan(10);
    });

    it("signs only with a key that is active, or was until a moment ago", () => {
      const byKid = new Map(storm.keys.map((k) => [k.kid, k]));
      const wrong = storm.tokens
        .filter((t) => t.kid)
        .map((t) => ({ t, key: byKid.get(t.kid!) }))
        .filter(({ t, key }) => !key || key.activated === null || key.activated > t.end || (key.retired !== null && key.retired + SIGNING_LAG_MS < t.start))
        .map(({ t, key }) => ({ instance: t.instance, start: new Date(t.start).toISOString(), kid: t.kid, activated: key?.activated && new Date(key.activated).toISOString(), retired: key?.retired && new Date(key.retired).toISOString() }));
      expect(wrong.slice(0, 5), `${wrong.length} tokens signed by the wrong key`).toEqual([]);
    });

    it(`serves the same, current JWKS on both instances within ${CONVERGENCE_MS / 1000} s of every change`, () => {
      const k = storm.keys;
      const changes = [...new Set(k.flatMap((x) => [x.created, x.activated, x.removed]).filter((t): t is number => t !== null))].sort((x, y) => x - y);
      const lateOrWrong: unknown[] = [];
      let checked = 0;
      changes.forEach((c, i) => {
        const next = changes[i + 1] ?? storm.stoppedAt;
        // Only states that lasted long enough to be looked at after the deadline.
        if (next - c < CONVERGENCE_MS + 300) return;
        const published = k.filter((x) => x.created <= c && (x.removed === null || x.removed > c)).map((x) => x.kid).sort();
        const active = k.find((x) => x.activated !== null && x.activated <= c && (x.retired === null || x.retired > c))?.kid;
        const seen = instances.map((inst) => storm.jwks.find((o) => o.instance === inst.name && o.status === 200 && o.start >= c + CONVERGENCE_MS && o.end < next));
        checked++;
        const ok = seen.every((o) => o && [...o.kids].sort().join() === published.join() && o.kids[0] === active) && seen[0]?.etag === seen[1]?.etag;
        if (!ok) {
          lateOrWrong.push({ change: new Date(c).toISOString(), expected: { published, active }, seen: seen.map((o) => o && { instance: o.instance, at: new Date(o.start).toISOString(), kids: o.kids, etag: o.etag }) });
        }
      });
      expect(checked).toBeGreaterThanOrEqual(2);
      expect(lateOrWrong).toEqual([]);
    });

    it("audits every transition once, under the actor who made it (system for the scheduler's)", () => {
      const events = (action: string, kid: string) => storm.audit.filter((e) => e.action === action && e.target?.id === kid);
      const acceptedKids = new Set(accepted().map((r) => (r.body as { kid: string }).kid));
      for (const key of storm.keys) {
        const activations = events("key.activate", key.kid);
        expect(activations.map((e) => e.actor.type), `key.activate of ${key.kid}`).toEqual([key.kid === storm.firstKid ? "token" : "system"]);
        const rotations = events("key.rotate", key.kid);
        if (key.kid !== storm.firstKid) {
          expect(rotations.map((e) => e.actor.type), `key.rotate to ${key.kid}`).toEqual([acceptedKids.has(key.kid) ? "token" : "system"]);
        }
        expect(events("key.remove", key.kid).map((e) => e.actor.type), `key.remove of ${key.kid}`).toEqual(key.removed === null ? [] : ["system"]);
      }
      // And nothing that did not happen: refused rotations left no trace.
      expect(storm.audit.filter((e) => e.action === "key.rotate").length).toBe(storm.keys.length - 1);
      expect(storm.audit.filter((e) => e.action === "key.activate").length).toBe(storm.keys.length);
    });
  });

  it("an instance that served nothing for a while publishes a key staged on the other one before it signs", async () => {
    const { slug } = await newTenant(a, { ...POLICY, rotationIntervalSeconds: null }, [b]);
    // B has served this tenant's JWKS, then nothing at all for a while.
    await sleep(2_500);
    const rotation = await apiExpect<{ kid: string; activatesAt: string }>(a, 202, "POST", `/api/v1/tenants/${slug}/rotate`, {});
    // Just before the new key may sign, a relying party fetches from B.
    await sleep(Date.parse(rotation.activatesAt) - 500 - Date.now());
    const rp = new RelyingParty("rp-idle-b", `${b.url}/${slug}/oauth2/v1/certs`, `${PUBLIC_URL}/${slug}`);
    const jwks = await rp.keys();
    expect(jwks.keys.map((k) => k.kid), `B's JWKS ${Date.parse(rotation.activatesAt) - Date.now()} ms before ${rotation.kid} signs`).toContain(rotation.kid);
  });
});
