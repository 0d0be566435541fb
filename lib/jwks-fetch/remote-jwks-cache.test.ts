import { errors, exportJWK, generateKeyPair, jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { FetchJwksOptions, JwksFetchResult } from "./fetch-jwks";
import { JwksFetchError } from "./jwks-fetch-error";
import { JwksUnavailable, KeyNotFound, RemoteJwksCache, type RemoteJwksCacheOptions } from "./remote-jwks-cache";
import { KeyRefused } from "./select-key";
import { startTestJwksServer, type TestJwksServer } from "./test-jwks-server";

const allow = ["127.0.0.1"];
const T0 = Date.parse("2030-01-01T00:00:00Z");
let server: TestJwksServer;
let clock: number;
const now = () => clock;

beforeAll(async () => {
  server = await startTestJwksServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  clock = T0;
  server.behave({ kind: "jwks" });
  server.cacheControl = undefined;
  server.etags = true;
  await server.rotate();
});

function newCache(options: Partial<RemoteJwksCacheOptions> = {}): RemoteJwksCache {
  return new RemoteJwksCache({ allow, now, ...options });
}

function currentKid(): string {
  const kid = server.keys[0]?.kid;
  if (!kid) throw new Error("the test server has no key");
  return kid;
}

/** n concurrent getKey calls for a kid; answers how many requests reached the server and what the calls settled to. */
async function wave(cache: RemoteJwksCache, kid: string, n = 200) {
  const before = server.requests;
  const results = await Promise.allSettled(Array.from({ length: n }, () => cache.getKey(server.jwksUrl, { kid, alg: "ES256" })));
  return { fetches: server.requests - before, results };
}

async function settled(cache: RemoteJwksCache): Promise<void> {
  await vi.waitFor(() => expect(cache.health(server.jwksUrl).refreshing).toBe(false));
}

describe("RemoteJwksCache: caching", () => {
  it("fetches on first use and answers from the cache while fresh", async () => {
    const cache = newCache();
    const before = server.requests;
    const keys = await cache.getKeys(server.jwksUrl);
    expect(keys.map((k) => k.kid)).toEqual([currentKid()]);
    clock += 599_000;
    await cache.getKeys(server.jwksUrl);
    expect(await cache.getKey(server.jwksUrl, { kid: currentKid() })).toMatchObject({ kid: currentKid(), kty: "EC" });
    expect(server.requests).toBe(before + 1);
    const health = cache.health(server.jwksUrl);
    expect(health).toMatchObject({
      lastFetchAt: T0,
      lastSuccessAt: T0,
      lastError: null,
      keyCount: 1,
      kids: [currentKid()],
      freshUntil: T0 + 600_000,
      nextRefreshAt: T0 + 600_000,
      fetchCount: 1,
      consecutiveFailures: 0,
    });
    expect(health.history).toEqual([{ at: T0, ok: true, status: "ok", keyCount: 1, durationMs: expect.any(Number) }]);
  });

  it("honours max-age: refreshes in the background after it, revalidating with the ETag (304 keeps the keys)", async () => {
    server.cacheControl = "max-age=120";
    const cache = newCache();
    const first = await cache.getKeys(server.jwksUrl);
    const before = server.requests;
    clock += 119_000;
    await cache.getKeys(server.jwksUrl);
    expect(server.requests).toBe(before);
    clock += 2_000;
    // Answered at once from the held keys; the refresh runs behind it.
    expect(await cache.getKeys(server.jwksUrl)).toBe(first);
    await settled(cache);
    expect(server.requests).toBe(before + 1);
    expect(server.lastRequestHeaders?.["if-none-match"]).toMatch(/^".+"$/);
    const health = cache.health(server.jwksUrl);
    expect(health.history[0]).toMatchObject({ ok: true, status: "not-modified", keyCount: 1 });
    expect(health.freshUntil).toBe(clock + 120_000);
    expect(cache.peek(server.jwksUrl)).toBe(first);
  });

  it("clamps max-age to at least 60 s and at most 24 h", async () => {
    server.cacheControl = "max-age=1";
    const short = newCache();
    await short.getKeys(server.jwksUrl);
    expect(short.health(server.jwksUrl).freshUntil).toBe(T0 + 60_000);
    server.cacheControl = "max-age=9999999";
    const long = newCache();
    await long.getKeys(server.jwksUrl);
    expect(long.health(server.jwksUrl).freshUntil).toBe(T0 + 86_400_000);
  });

  it("refresh() fetches now whatever the interval, single-flight", async () => {
    const cache = newCache();
    await cache.getKeys(server.jwksUrl);
    const rotated = await server.rotate();
    const before = server.requests;
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.refresh(server.jwksUrl)));
    expect(server.requests).toBe(before + 1);
    expect(results[0]?.status).toBe("ok");
    expect(results[0]?.keys.map((k) => k.kid)).toEqual([rotated.kid]);
    expect(cache.health(server.jwksUrl).fetchCount).toBe(2);
  });

  it("refresh() reports a failure as a JwksFetchError and in health; history keeps the last 20", async () => {
    const cache = newCache();
    server.behave({ kind: "status", status: 503 });
    const error = await cache.refresh(server.jwksUrl).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JwksFetchError);
    expect((error as JwksFetchError).message).toBe(`the JWKS at ${server.jwksUrl} answered HTTP 503`);
    server.behave({ kind: "jwks" });
    for (let i = 0; i < 24; i++) await cache.refresh(server.jwksUrl);
    const health = cache.health(server.jwksUrl);
    expect(health.fetchCount).toBe(25);
    expect(health.history).toHaveLength(20);
    expect(health.history[0]).toMatchObject({ ok: true, status: "not-modified" });
    expect(health.lastError).toBeNull();
  });
});

describe("RemoteJwksCache: key rollover and unknown kids", () => {
  it("accepts a key rolled just after a fill within one interval", async () => {
    const cache = newCache();
    await cache.getKeys(server.jwksUrl);
    const rolled = await server.rotate();
    clock += 1_000;
    const early = await cache.getKey(server.jwksUrl, { kid: rolled.kid, alg: "ES256" }).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(KeyNotFound);
    expect((early as KeyNotFound).retryAt).toBe(T0 + 5_000);
    expect((early as KeyNotFound).message).toBe(
      `no key with kid "${rolled.kid}" in the JWKS at ${server.jwksUrl} (it has "${cache.peek(server.jwksUrl)?.[0]?.kid}"); last fetched at 2030-01-01T00:00:00.000Z; the next refetch may happen at 2030-01-01T00:00:05.000Z`,
    );
    clock = T0 + 5_000;
    const before = server.requests;
    expect(await cache.getKey(server.jwksUrl, { kid: rolled.kid, alg: "ES256" })).toMatchObject({ kid: rolled.kid });
    expect(server.requests).toBe(before + 1);
    const jwt = await server.sign({ sub: "alice" });
    const { payload } = await jwtVerify(jwt, cache.resolver(server.jwksUrl));
    expect(payload.sub).toBe("alice");
  });

  it("an unknown-kid storm costs one fetch; waves within the interval cost none", async () => {
    const cache = newCache();
    const cold = await wave(cache, "no-such-kid");
    expect(cold.fetches).toBe(1);
    expect(cold.results.every((r) => r.status === "rejected" && r.reason instanceof KeyNotFound)).toBe(true);
    for (const step of [0, 1_000, 3_999]) {
      clock = T0 + step;
      expect((await wave(cache, "no-such-kid")).fetches).toBe(0);
    }
    clock = T0 + 5_000;
    expect((await wave(cache, "no-such-kid")).fetches).toBe(1);
    expect((await wave(cache, "another-unknown-kid")).fetches).toBe(0);
    // Known kids never wait for the gate.
    expect((await wave(cache, currentKid())).results.every((r) => r.status === "fulfilled")).toBe(true);
    expect(cache.health(server.jwksUrl).fetchCount).toBe(2);
  });

  it("while the upstream answers 500, waves cost at most one fetch per backed-off interval and the last good keys keep working", async () => {
    const cache = newCache();
    const good = currentKid();
    await cache.getKeys(server.jwksUrl);
    server.behave({ kind: "status", status: 500 });
    // Interval 5 s after the fill, then 5, 10, 20 s after consecutive failures.
    const schedule: [number, number][] = [
      [5_000, 1],
      [5_000, 0],
      [9_999, 0],
      [10_000, 1],
      [14_999, 0],
      [20_000, 1],
      [39_999, 0],
      [40_000, 1],
    ];
    for (const [at, expected] of schedule) {
      clock = T0 + at;
      const { fetches, results } = await wave(cache, "rolled-kid");
      expect({ at, fetches }).toEqual({ at, fetches: expected });
      const reason = (results[0] as PromiseRejectedResult).reason as KeyNotFound;
      expect(reason).toBeInstanceOf(KeyNotFound);
      if (expected === 1) expect(reason.message).toContain(`(that fetch failed: the JWKS at ${server.jwksUrl} answered HTTP 500)`);
      const known = await wave(cache, good, 20);
      expect(known.fetches).toBe(0);
      expect(known.results.every((r) => r.status === "fulfilled")).toBe(true);
    }
    const health = cache.health(server.jwksUrl);
    expect(health.lastError).toMatchObject({ code: "http_status", httpStatus: 500, message: `the JWKS at ${server.jwksUrl} answered HTTP 500` });
    expect(health.consecutiveFailures).toBe(4);
    expect(health.nextRefreshAt).toBe(T0 + 600_000);
    expect(health.history.slice(0, 4).every((h) => !h.ok)).toBe(true);
    expect(health.keyCount).toBe(1);

    server.behave({ kind: "jwks" });
    clock = T0 + 80_000;
    expect((await wave(cache, "rolled-kid")).fetches).toBe(1);
    expect(cache.health(server.jwksUrl)).toMatchObject({ lastError: null, consecutiveFailures: 0 });
  });

  it("caps the backoff", async () => {
    const failing = vi.fn(async (uri: string): Promise<JwksFetchResult> => {
      throw new JwksFetchError("network", `the JWKS at ${uri} could not be fetched: ECONNRESET`, uri);
    });
    const cache = newCache({ fetch: failing, minRefetchIntervalMs: 1_000, maxBackoffMs: 4_000 });
    const retryAts: number[] = [];
    for (let i = 0; i < 6; i++) {
      const error = (await cache.getKeys("https://idp.example/jwks").catch((e: unknown) => e)) as JwksUnavailable;
      expect(error).toBeInstanceOf(JwksUnavailable);
      retryAts.push(error.retryAt - clock);
      clock = error.retryAt;
    }
    expect(retryAts).toEqual([1_000, 2_000, 4_000, 4_000, 4_000, 4_000]);
    expect(failing).toHaveBeenCalledTimes(6);
  });
});

describe("RemoteJwksCache: failures and staleness", () => {
  it("with no keys yet, a failing upstream is fetched once per interval and getKeys says why", async () => {
    const cache = newCache();
    server.behave({ kind: "status", status: 500 });
    const { fetches, results } = await wave(cache, "any");
    expect(fetches).toBe(1);
    const reason = (results[0] as PromiseRejectedResult).reason as JwksUnavailable;
    expect(reason).toBeInstanceOf(JwksUnavailable);
    expect(reason.reason).toBe("http_status");
    expect(reason.message).toBe(
      `no keys from ${server.jwksUrl} yet: the JWKS at ${server.jwksUrl} answered HTTP 500; next attempt after 2030-01-01T00:00:05.000Z`,
    );
    expect((await wave(cache, "any")).fetches).toBe(0);
    expect(cache.health(server.jwksUrl)).toMatchObject({ keyCount: 0, nextRefreshAt: T0 + 5_000, fetchCount: 1 });
  });

  it("serves the last good keys after max-age while refreshing fails, until max staleness", async () => {
    server.cacheControl = "max-age=60";
    const cache = newCache({ maxStalenessMs: 120_000 });
    const keys = await cache.getKeys(server.jwksUrl);
    server.behave({ kind: "status", status: 500 });

    clock = T0 + 61_000;
    const before = server.requests;
    expect(await cache.getKeys(server.jwksUrl)).toBe(keys);
    await settled(cache);
    expect(server.requests).toBe(before + 1);
    expect(await cache.getKeys(server.jwksUrl)).toBe(keys);
    expect(server.requests).toBe(before + 1);
    expect(cache.health(server.jwksUrl)).toMatchObject({
      lastError: { code: "http_status" },
      staleUntil: T0 + 180_000,
      lastSuccessAt: T0,
    });

    clock = T0 + 180_000;
    expect(await cache.getKeys(server.jwksUrl)).toBe(keys);
    await settled(cache);

    clock = T0 + 180_001 + 60_000;
    const error = await cache.getKey(server.jwksUrl, { kid: keys[0]?.kid }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JwksUnavailable);
    expect((error as JwksUnavailable).message).toMatch(
      new RegExp(`^the keys from ${server.jwksUrl} are more than 2 min past their max-age and could not be refreshed: the JWKS at .+ answered HTTP 500; next attempt after `),
    );

    server.behave({ kind: "jwks" });
    clock += 60_000;
    expect((await cache.getKeys(server.jwksUrl)).map((k) => k.kid)).toEqual([currentKid()]);
  });

  it("records a fetcher that throws something unexpected as a network failure", async () => {
    const cache = newCache({
      fetch: (): Promise<JwksFetchResult> => {
        throw new TypeError("boom");
      },
    });
    await expect(cache.getKeys("https://idp.example/jwks")).rejects.toThrow(JwksUnavailable);
    expect(cache.health("https://idp.example/jwks").lastError).toMatchObject({
      code: "network",
      message: "the JWKS at https://idp.example/jwks could not be fetched: boom",
    });
  });

  it("passes limits, the allow-list and the ETag to the fetcher", async () => {
    const calls: FetchJwksOptions[] = [];
    const cache = newCache({
      fetch: async (uri, options) => {
        calls.push(options);
        return { status: "ok", uri, url: uri, keys: [], warnings: [], etag: '"v1"', maxAgeSeconds: 60, fetchedAt: now(), durationMs: 1 };
      },
    });
    await cache.getKeys("https://idp.example/jwks", { sizeLimitBytes: 1_000, readTimeoutMs: 2_000 });
    await cache.refresh("https://idp.example/jwks");
    expect(calls[0]).toMatchObject({ allow, sizeLimitBytes: 1_000, readTimeoutMs: 2_000, etag: undefined });
    expect(calls[1]).toMatchObject({ etag: '"v1"' });
  });
});

describe("RemoteJwksCache: the jose resolver", () => {
  it("verifies a JWT by kid, and without a kid when one key fits the alg", async () => {
    const cache = newCache();
    const getKey = cache.resolver(server.jwksUrl);
    expect((await jwtVerify(await server.sign({ sub: "a" }), getKey)).payload.sub).toBe("a");
    expect((await jwtVerify(await server.sign({ sub: "b" }, { omitKid: true }), getKey)).payload.sub).toBe("b");
  });

  it("refuses a header alg the key's alg contradicts, and HMAC or none", async () => {
    const cache = newCache();
    const getKey = cache.resolver(server.jwksUrl);
    const { privateKey } = await generateKeyPair("ES384");
    const forged = await new SignJWT({ sub: "x" }).setProtectedHeader({ alg: "ES384", kid: currentKid() }).sign(privateKey);
    const mismatch = await jwtVerify(forged, getKey).catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(KeyRefused);
    expect((mismatch as KeyRefused).code).toBe("alg_mismatch");
    expect((mismatch as KeyRefused).message).toBe(`the JWT header says alg ES384, but the key "${currentKid()}" is for ES256`);
    const hmac = await new SignJWT({ sub: "x" }).setProtectedHeader({ alg: "HS256", kid: currentKid() }).sign(new Uint8Array(32));
    const refused = await jwtVerify(hmac, getKey).catch((e: unknown) => e);
    expect((refused as KeyRefused).code).toBe("alg_not_supported");
  });

  it("offers every fitting key, the jose way, when the JWT has no kid and several fit", async () => {
    const kept = currentKid();
    await server.rotate({ keep: true });
    const cache = newCache();
    const jwt = await server.sign({ sub: "multi" }, { kid: kept, omitKid: true });
    const error = await jwtVerify(jwt, cache.resolver(server.jwksUrl)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.JWKSMultipleMatchingKeys);
    let verified: string | undefined;
    for await (const key of error as errors.JWKSMultipleMatchingKeys) {
      try {
        verified = (await jwtVerify(jwt, key)).payload.sub;
        break;
      } catch {
        // the other key
      }
    }
    expect(verified).toBe("multi");
    const ambiguous = await cache.getKey(server.jwksUrl, { alg: "ES256" }).catch((e: unknown) => e);
    expect((ambiguous as KeyRefused).code).toBe("ambiguous_key");
  });

  it("picks by kty and alg when the JWT has no kid", async () => {
    const { publicKey } = await generateKeyPair("RS256", { modulusLength: 2048 });
    const rsa = { ...(await exportJWK(publicKey)), kid: "rsa-1" };
    const ec = server.keys[0]?.publicJwk;
    server.behave({ kind: "body", body: JSON.stringify({ keys: [rsa, ec] }) });
    const cache = newCache();
    expect((await cache.getKey(server.jwksUrl, { alg: "PS256" })).kid).toBe("rsa-1");
    expect((await cache.getKey(server.jwksUrl, { alg: "ES256" })).kid).toBe(ec?.kid);
  });
});
