// Upstream faults against the public endpoints. The keys Keyward fetches
// come from three kinds of upstream: an identity provider's jwks_uri (its
// jwt-bearer assertions at the token endpoint), a TPP client's jwks_uri (its
// private_key_jwt client assertions) and a directory's JWKS (the software
// statements of Dynamic Client Registration). Each is made slow (slower than
// the fetch timeouts), down (connection refused), answering garbage, a huge
// body and HTTP 500, and through the HTTP token and registration endpoints:
// - keys fetched before the fault keep verifying past their max-age, up to
//   the configured maximum staleness (KEYWARD_JWKS_MAX_STALENESS_SECONDS),
//   and are refused afterwards with an error naming the fault;
// - the fetch health the console and the API show names the fault;
// - no request waits longer than the fetch deadline (connect + 2 × read
//   timeout) plus a generous margin: a correctness bound, not a speed target.
//
// Real loopback upstreams, a real database, the real protocol router over
// HTTP; only the JWKS cache's clock is the test's, so keys go stale without
// waiting out the 60 s minimum freshness.

import { randomUUID } from "node:crypto";
import { exportJWK, SignJWT, importJWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@/lib/clients/clients";
import { createDirectory, getDirectory } from "@/lib/directories/directories";
import { resetEnvForTests } from "@/lib/env";
import { createIdentityProvider } from "@/lib/idps/identity-providers";
import { idpHealth } from "@/lib/idps/idp-keys";
import { resetRemoteJwksCacheForTests } from "@/lib/idps/jwks-cache";
import { startTestJwksServer, type TestJwksBehaviour, type TestJwksServer } from "@/lib/jwks-fetch/test-jwks-server";
import { rotateNow } from "@/lib/rotation/rotate";
import { createTenant } from "@/lib/tenants/tenants";
import { ADMIN, actorWith, startProtocolServer, uniq } from "@/tests/integration/helpers";
import { registrationClaims, ssaClaims } from "@/tests/integration/dcr-claims";

const OPERATOR = actorWith("operator");
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const MAX_STALENESS_SECONDS = 30;
/** The upstreams' Cache-Control: the shortest freshness Keyward keeps (it floors max-age at 60 s). */
const MAX_AGE_SECONDS = 60;
/** The identity providers' fetch limits, set small; clients and directories use the defaults (1000 ms each). */
const IDP_LIMITS = { connectTimeoutMs: 300, readTimeoutMs: 300, sizeLimitBytes: 51_200 };
const DEFAULT_LIMITS = { connectTimeoutMs: 1000, readTimeoutMs: 1000 };
/** Scheduling noise on a busy 2-core machine, on top of the fetch deadline. */
const MARGIN_MS = 2_500;
const deadline = (l: { connectTimeoutMs: number; readTimeoutMs: number }) => l.connectTimeoutMs + 2 * l.readTimeoutMs;

type Fault = "slow" | "down" | "garbage" | "huge" | "500";
const FAULTS: Fault[] = ["slow", "down", "garbage", "huge", "500"];
/** What the health shows for each fault: the fetch error's code and its message. */
const NAMED: Record<Fault, { code: string; message: RegExp }> = {
  slow: { code: "timeout", message: /did not (finish answering|answer) within \d+ ms/ },
  down: { code: "network", message: /could not be fetched: .*(ECONNREFUSED|refused)/i },
  garbage: { code: "bad_json", message: /is not JSON/ },
  huge: { code: "too_large", message: /is larger than \d+ bytes \(the size limit\)/ },
  "500": { code: "http_status", message: /answered HTTP 500/ },
};

async function inject(upstream: TestJwksServer, fault: Fault): Promise<void> {
  const behaviours: Record<Exclude<Fault, "down">, TestJwksBehaviour> = {
    // Slower than any deadline here (the test server stops it on close).
    slow: { kind: "slow", delayMs: 20_000 },
    garbage: { kind: "body", body: "<html><body>502 Bad Gateway</body></html>", contentType: "application/json" },
    huge: { kind: "oversize", bytes: 2_000_000, declareLength: false },
    "500": { kind: "status", status: 500 },
  };
  if (fault === "down") await upstream.close();
  else upstream.behave(behaviours[fault]);
}

let base: string;
let closeServer: () => Promise<void>;
/** The JWKS cache's clock runs ahead of the wall clock by this much. */
let skew = 0;
const upstreams: TestJwksServer[] = [];

beforeAll(async () => {
  process.env.KEYWARD_JWKS_MAX_STALENESS_SECONDS = String(MAX_STALENESS_SECONDS);
  resetEnvForTests();
  resetRemoteJwksCacheForTests(() => Date.now() + skew);
  ({ base, close: closeServer } = await startProtocolServer());
});

afterAll(async () => {
  await closeServer();
  await Promise.all(upstreams.map((u) => u.close().catch(() => undefined)));
  delete process.env.KEYWARD_JWKS_MAX_STALENESS_SECONDS;
  resetEnvForTests();
  resetRemoteJwksCacheForTests();
});

async function upstream(alg = "ES256"): Promise<TestJwksServer> {
  const u = await startTestJwksServer({ alg, host: "127.0.0.2", cacheControl: `max-age=${MAX_AGE_SECONDS}` });
  upstreams.push(u);
  return u;
}

async function tenant(): Promise<{ slug: string; issuer: string }> {
  const slug = uniq("upf").replace(/-/g, "_").slice(0, 40);
  await createTenant(ADMIN, { slug, name: "Upstream faults", profile: "generic" });
  await rotateNow(OPERATOR, slug);
  return { slug, issuer: `http://keyward.test/${slug}` };
}

interface Answer {
  status: number;
  body: { error?: string; error_description?: string; access_token?: string; client_id?: string };
  ms: number;
}

async function post(path: string, contentType: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${base}${path}`, { method: "POST", headers: { "content-type": contentType, ...headers }, body, signal: AbortSignal.timeout(30_000) });
  const parsed = (await res.json()) as Answer["body"];
  return { status: res.status, body: parsed, ms: performance.now() - started };
}

/** One party whose keys come from an upstream: how to use them, and where its health shows. */
interface Party {
  slug: string;
  upstream: TestJwksServer;
  /** A request that needs the upstream's keys. */
  request(): Promise<Answer>;
  accepted: number;
  /** The health the console / API shows: the last error's code (when shown) and message. */
  health(): Promise<{ code?: string; message?: string } | null>;
  /** The refusal once the keys are beyond max staleness. */
  refusal: { status: number; error: string };
  boundMs: number;
}

async function identityProvider(): Promise<Party> {
  const { slug } = await tenant();
  const u = await upstream();
  const issuer = `https://idp-${uniq("i")}.example`;
  const idp = await createIdentityProvider(OPERATOR, slug, { name: issuer, jwksUri: u.jwksUrl, allowedAlgs: ["ES256"], fetch: IDP_LIMITS });
  const client = await createClient(OPERATOR, slug, { name: "TPP", tokenEndpointAuthMethod: "client_secret_basic", grantTypes: [JWT_BEARER] });
  const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret!}`).toString("base64")}`;
  return {
    slug,
    upstream: u,
    async request() {
      const now = Math.floor(Date.now() / 1000);
      const assertion = await u.sign({ iss: issuer, sub: "psu-1", aud: idp.audience, iat: now, exp: now + 120, jti: randomUUID() });
      return post(`/${slug}/oauth2/token`, "application/x-www-form-urlencoded", new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(), { authorization: basic });
    },
    accepted: 200,
    async health() {
      const h = idpHealth(u.jwksUrl);
      return h?.lastError ? { code: h.lastError.code, message: h.lastError.message } : null;
    },
    refusal: { status: 400, error: "invalid_grant" },
    boundMs: deadline(IDP_LIMITS) + MARGIN_MS,
  };
}

async function clientWithJwksUri(): Promise<Party> {
  const { slug, issuer } = await tenant();
  const u = await upstream();
  const client = await createClient(OPERATOR, slug, { name: "TPP jwks_uri", tokenEndpointAuthMethod: "private_key_jwt", grantTypes: ["client_credentials"], jwksUri: u.jwksUrl });
  return {
    slug,
    upstream: u,
    async request() {
      const now = Math.floor(Date.now() / 1000);
      const assertion = await u.sign({ iss: client.clientId, sub: client.clientId, aud: `${issuer}/oauth2/token`, iat: now, exp: now + 60, jti: randomUUID() });
      const form = { grant_type: "client_credentials", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion };
      return post(`/${slug}/oauth2/token`, "application/x-www-form-urlencoded", new URLSearchParams(form).toString());
    },
    accepted: 200,
    async health() {
      const h = idpHealth(u.jwksUrl);
      return h?.lastError ? { code: h.lastError.code, message: h.lastError.message } : null;
    },
    refusal: { status: 401, error: "invalid_client" },
    boundMs: deadline(DEFAULT_LIMITS) + MARGIN_MS,
  };
}

async function directory(): Promise<Party> {
  const { slug, issuer } = await tenant();
  const u = await upstream("PS256");
  // The TPP's own keys stay healthy: only the directory fails.
  const tpp = await upstream("PS256");
  const dir = await createDirectory(OPERATOR, slug, { kind: "external", name: "Open Banking sandbox", issuer: "OpenBanking Ltd", environment: "sandbox", jwksUri: u.jwksUrl });
  const directoryKey = await importJWK(await exportJWK(u.keys[0]!.privateKey), "PS256");
  return {
    slug,
    upstream: u,
    async request() {
      const softwareId = uniq("sw");
      const ssa = await new SignJWT(ssaClaims(softwareId, { jwksEndpoint: tpp.jwksUrl }))
        .setProtectedHeader({ alg: "PS256", kid: u.keys[0]!.kid, typ: "JWT" })
        .sign(directoryKey);
      const request = await tpp.sign(registrationClaims(issuer, softwareId, ssa, { scope: "openid accounts" }));
      return post(`/${slug}/register`, "application/jwt", request);
    },
    accepted: 201,
    async health() {
      const h = (await getDirectory(OPERATOR, slug, dir.id)).health;
      return h?.status === "failing" && h.lastError ? { message: h.lastError } : null;
    },
    refusal: { status: 400, error: "invalid_software_statement" },
    boundMs: deadline(DEFAULT_LIMITS) + MARGIN_MS,
  };
}

/** Polls the health until it shows an error (the background refresh ran), within the fetch deadline and the margin. */
async function healthShowingError(party: Party): Promise<{ code?: string; message?: string }> {
  const until = performance.now() + party.boundMs + 2_000;
  for (;;) {
    const h = await party.health();
    if (h) return h;
    if (performance.now() > until) throw new Error("the health shows no error although the upstream fails");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function drill(party: Party, fault: Fault): Promise<void> {
  const warm = await party.request();
  expect(warm.status, `before the fault: ${JSON.stringify(warm.body)}`).toBe(party.accepted);
  expect(await party.health()).toBeNull();

  await inject(party.upstream, fault);
  // Past max-age, within max staleness: the held keys answer at once, a refresh runs in the background.
  skew += (MAX_AGE_SECONDS + 1) * 1000;
  const stale = await party.request();
  expect(stale.status, `stale keys during the fault: ${JSON.stringify(stale.body)}`).toBe(party.accepted);
  expect(stale.ms).toBeLessThan(party.boundMs);

  const shown = await healthShowingError(party);
  if (shown.code !== undefined) expect(shown.code).toBe(NAMED[fault].code);
  expect(shown.message).toMatch(NAMED[fault].message);
  expect(shown.message).toContain(party.upstream.jwksUrl);

  // Still within max staleness: still accepted, whatever the failing refreshes.
  skew += (MAX_STALENESS_SECONDS - 10) * 1000;
  const late = await party.request();
  expect(late.status, `within max staleness: ${JSON.stringify(late.body)}`).toBe(party.accepted);
  expect(late.ms).toBeLessThan(party.boundMs);

  // Beyond max staleness: refused, naming the fault, in bounded time.
  skew += 11 * 1000;
  const refused = await party.request();
  expect(refused.status, JSON.stringify(refused.body)).toBe(party.refusal.status);
  expect(refused.body.error).toBe(party.refusal.error);
  expect(refused.body.error_description).toContain(`more than ${MAX_STALENESS_SECONDS} s past their max-age and could not be refreshed`);
  expect(refused.body.error_description).toMatch(NAMED[fault].message);
  expect(refused.ms).toBeLessThan(party.boundMs);
  // A second try is answered from the recorded failure (the fetch is backing off), as fast.
  const again = await party.request();
  expect(again.status).toBe(party.refusal.status);
  expect(again.ms).toBeLessThan(party.boundMs);
}

const PARTIES: [string, () => Promise<Party>][] = [
  ["an identity provider (jwt-bearer at the token endpoint)", identityProvider],
  ["a client's jwks_uri (private_key_jwt at the token endpoint)", clientWithJwksUri],
  ["a directory (software statements at /register)", directory],
];

describe.each(PARTIES)("when the upstream of %s fails", (_name, make) => {
  it.each(FAULTS)("%s: keeps verifying with the held keys up to max staleness, then refuses naming the fault, never waiting past the deadline", async (fault) => {
    const party = await make();
    await drill(party, fault);
    // The public endpoints still answer afterwards.
    const jwks = await fetch(`${base}/${party.slug}/oauth2/v1/certs`);
    expect(jwks.status).toBe(200);
  });
});
