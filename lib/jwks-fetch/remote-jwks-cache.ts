/**
 * The process-wide cache of remote JWKS, one state per URI.
 *
 * What it promises, beyond jose's remote JWK set:
 * - a key rolled just after a fill is found within one minimum interval
 *   (jose waits out its 30 s cooldown);
 * - a storm of unknown kids, or an upstream that keeps failing, costs at
 *   most one fetch per interval: every fetch (failed ones included) closes
 *   the gate for the interval, concurrent callers share the one in flight,
 *   and the interval doubles while failures continue;
 * - a failed refresh keeps the last good keys in service until they are
 *   `maxStalenessMs` past their max-age, and the failure shows in `health`.
 *
 * Fetching is lazy: nothing runs on a timer, a use after max-age starts a
 * background refresh and is answered from the keys held.
 */
import { importJWK, errors, type JWSHeaderParameters } from "jose";
import { fetchJwks, type FetchJwksOptions, type JwksFetchLimits, type JwksFetchResult } from "./fetch-jwks";
import { JwksFetchError, type JwksFetchErrorCode } from "./jwks-fetch-error";
import { KeyRefused, selectKeys, type KeySelector } from "./select-key";
import { isPublicKeyJwsAlg } from "./jws-algorithms";
import type { RemoteJwk } from "./validate-jwks";

export interface RemoteJwksCacheOptions {
  /** Entries of `KEYWARD_OUTBOUND_ALLOW`. */
  allow: readonly string[];
  /** Least time between two fetches of one URI for unknown kids. Default 5000. */
  minRefetchIntervalMs?: number;
  /** Ceiling of the interval while the upstream keeps failing. Default 300000. */
  maxBackoffMs?: number;
  /** How long past their max-age the last good keys are still used when refreshing fails. Default 24 h. */
  maxStalenessMs?: number;
  /** The clock (tests). */
  now?: () => number;
  /** The fetcher (tests). */
  fetch?: (uri: string, options: FetchJwksOptions) => Promise<JwksFetchResult>;
  /** Told of every fetch attempt (metrics). */
  onFetch?: (uri: string, record: JwksFetchRecord) => void;
  /** Told how each lookup was answered: fresh keys, stale keys (refreshing), or a fetch first. */
  onLookup?: (result: "fresh" | "stale" | "fetch") => void;
}

/** One fetch attempt, as the health page lists it. */
export type JwksFetchRecord =
  | { at: number; ok: true; status: "ok" | "not-modified"; keyCount: number; durationMs: number }
  | { at: number; ok: false; code: JwksFetchErrorCode; message: string; httpStatus?: number; durationMs: number };

/** The state of one URI, for the console. Times are epoch milliseconds. */
export interface JwksHealth {
  uri: string;
  /** When the last fetch attempt ended. */
  lastFetchAt: number | null;
  /** When keys were last fetched or confirmed (304). */
  lastSuccessAt: number | null;
  /** The failure of the last attempt; null once an attempt succeeds. */
  lastError: { at: number; code: JwksFetchErrorCode; message: string; httpStatus?: number } | null;
  keyCount: number;
  kids: string[];
  /** Until when the keys are fresh (max-age). */
  freshUntil: number | null;
  /** Until when the keys are used if refreshing keeps failing. */
  staleUntil: number | null;
  /** Earliest time the next fetch happens (on use; nothing runs on a timer). */
  nextRefreshAt: number | null;
  consecutiveFailures: number;
  refreshing: boolean;
  /** Fetch attempts since the process started. */
  fetchCount: number;
  /** Keys dropped from the last JWKS received, and why. */
  warnings: string[];
  /** The last 20 attempts, newest first. */
  history: JwksFetchRecord[];
}

/** Keys held after a forced refresh. */
export type JwksRefreshResult = Omit<JwksFetchResult, "keys" | "warnings"> & {
  keys: readonly RemoteJwk[];
  warnings: readonly string[];
};

/**
 * No key for the JWT's kid (or, without a kid, for its alg), even after the
 * refetch the interval allowed. `retryAt` is when a refetch may next happen.
 *
 * @example
 * try {
 *   await cache.getKey(uri, { kid, alg });
 * } catch (err) {
 *   if (err instanceof KeyNotFound) return invalidGrant(err.message);
 * }
 */
export class KeyNotFound extends Error {
  override readonly name = "KeyNotFound";
  readonly code = "key_not_found";

  constructor(
    message: string,
    readonly uri: string,
    readonly kid: string | undefined,
    readonly retryAt: number,
  ) {
    super(message);
  }
}

/**
 * The URI has no keys that may be used: never fetched successfully, or
 * beyond max staleness, and the fetch failed (or is waiting out its
 * interval). `reason` is the failed fetch's code; `cause` the fetch error.
 *
 * @example
 * try {
 *   await cache.getKeys(uri);
 * } catch (err) {
 *   if (err instanceof JwksUnavailable) console.log(err.reason, err.message);
 * }
 */
export class JwksUnavailable extends Error {
  override readonly name = "JwksUnavailable";
  readonly code = "jwks_unavailable";

  constructor(
    message: string,
    readonly uri: string,
    readonly reason: JwksFetchErrorCode | undefined,
    readonly retryAt: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

interface UriState {
  uri: string;
  keys: readonly RemoteJwk[] | null;
  warnings: readonly string[];
  etag?: string;
  freshUntil: number;
  lastSuccessAt: number | null;
  lastFetchAt: number | null;
  lastError: JwksHealth["lastError"];
  lastFetchError: JwksFetchError | null;
  failures: number;
  /** The gate: no fetch (other than a forced refresh) before this time. */
  nextFetchAllowedAt: number;
  inFlight: Promise<JwksFetchResult> | null;
  fetchCount: number;
  history: JwksFetchRecord[];
}

const HISTORY_LENGTH = 20;

/**
 * Remote JWKS cache with single-flight refetch on unknown kids, backoff,
 * stale-on-error and health. Create one per process and share it.
 *
 * @example
 * const jwksCache = new RemoteJwksCache({ allow: env().outboundAllow });
 * const { payload } = await jwtVerify(assertion, jwksCache.resolver(idp.jwksUri), { issuer: idp.name });
 * jwksCache.health(idp.jwksUri); // { lastSuccessAt, keyCount, lastError, nextRefreshAt, history, … }
 */
export class RemoteJwksCache {
  private readonly states = new Map<string, UriState>();
  private readonly imported = new WeakMap<RemoteJwk, Map<string, Promise<CryptoKey>>>();
  private readonly allow: readonly string[];
  private readonly minIntervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxStalenessMs: number;
  private readonly now: () => number;
  private readonly fetcher: (uri: string, options: FetchJwksOptions) => Promise<JwksFetchResult>;
  private readonly onFetch?: RemoteJwksCacheOptions["onFetch"];
  private readonly onLookup?: RemoteJwksCacheOptions["onLookup"];

  constructor(options: RemoteJwksCacheOptions) {
    this.allow = options.allow;
    this.minIntervalMs = options.minRefetchIntervalMs ?? 5000;
    this.maxBackoffMs = Math.max(this.minIntervalMs, options.maxBackoffMs ?? 300_000);
    this.maxStalenessMs = options.maxStalenessMs ?? 24 * 60 * 60 * 1000;
    this.now = options.now ?? Date.now;
    this.fetcher = options.fetch ?? fetchJwks;
    this.onFetch = options.onFetch;
    this.onLookup = options.onLookup;
  }

  /**
   * The current keys of a URI: fetched on first use; after max-age, the
   * held keys are answered and a refresh starts in the background; a failed
   * refresh leaves them in service until max staleness.
   *
   * @throws JwksUnavailable when no usable keys are held and fetching fails.
   * @example
   * const keys = await cache.getKeys("https://idp.example/jwks", { sizeLimitBytes: 102_400 });
   */
  async getKeys(uri: string, limits: JwksFetchLimits = {}): Promise<readonly RemoteJwk[]> {
    const state = this.state(uri);
    const now = this.now();
    if (state.keys && now < state.freshUntil) {
      this.onLookup?.("fresh");
      return state.keys;
    }
    this.onLookup?.(state.keys && now <= state.freshUntil + this.maxStalenessMs ? "stale" : "fetch");
    if (state.keys && now <= state.freshUntil + this.maxStalenessMs) {
      if (!state.inFlight && now >= state.nextFetchAllowedAt) {
        // Already recorded in health; the held keys answer this call.
        this.fetch(uri, state, limits).catch(() => undefined);
      }
      return state.keys;
    }
    if (state.inFlight || now >= state.nextFetchAllowedAt) {
      try {
        await this.fetch(uri, state, limits);
      } catch {
        // Described by unavailable() below, from the recorded failure.
      }
      const after = this.now();
      if (state.keys && after <= state.freshUntil + this.maxStalenessMs) return state.keys;
    }
    throw this.unavailable(uri, state);
  }

  /**
   * The key for a JWT header's kid (and alg). A kid not held triggers a
   * refetch, at most once per interval per URI, shared by concurrent
   * callers; then {@link KeyNotFound} names the kid and when the next
   * refetch may happen.
   *
   * @throws KeyNotFound, KeyRefused (alg mismatch, unsupported alg, several
   *   keys without a kid), JwksUnavailable.
   * @example
   * const jwk = await cache.getKey(uri, { kid: header.kid, alg: header.alg });
   */
  async getKey(uri: string, selector: KeySelector, limits: JwksFetchLimits = {}): Promise<RemoteJwk> {
    const candidates = await this.findKeys(uri, selector, limits);
    const [only] = candidates;
    if (candidates.length > 1 || !only) {
      throw new KeyRefused(
        "ambiguous_key",
        `${candidates.length} keys in the JWKS at ${uri} fit ${describeSelector(selector)}; the JWT needs a kid to choose one`,
      );
    }
    return only;
  }

  /**
   * Fetches now, whatever the interval (the console's Refresh and Test
   * buttons), joining a fetch already in flight.
   *
   * @throws JwksFetchError when the fetch fails (also recorded in health).
   * @example
   * const { keys, warnings, status } = await cache.refresh(idp.jwksUri);
   */
  async refresh(uri: string, limits: JwksFetchLimits = {}): Promise<JwksRefreshResult> {
    const state = this.state(uri);
    const result = await this.fetch(uri, state, limits);
    return { ...result, keys: state.keys ?? [], warnings: state.warnings };
  }

  /**
   * A key resolver for jose's `jwtVerify` / `compactVerify`: the key by kid
   * (by alg and key type when the JWT has no kid), imported once per key
   * and alg. Several fitting keys without a kid are offered the way jose's
   * own JWKS functions do (an async iterator on ERR_JWKS_MULTIPLE_MATCHING_KEYS).
   *
   * @example
   * const getKey = cache.resolver(idp.jwksUri, { readTimeoutMs: 2000 });
   * const { payload } = await jwtVerify(assertion, getKey, { issuer: idp.name, audience: idp.audience });
   */
  resolver(uri: string, limits: JwksFetchLimits = {}): (protectedHeader: JWSHeaderParameters) => Promise<CryptoKey> {
    return async (protectedHeader) => {
      const { kid, alg } = protectedHeader;
      if (!isPublicKeyJwsAlg(alg)) {
        throw new KeyRefused("alg_not_supported", `alg ${String(alg)} cannot be verified with a public key from a JWKS`);
      }
      const candidates = await this.findKeys(uri, { kid, alg }, limits);
      const [only] = candidates;
      if (candidates.length === 1 && only) return this.importKey(only, alg);
      const error = new errors.JWKSMultipleMatchingKeys(
        `${candidates.length} keys in the JWKS at ${uri} fit ${describeSelector({ kid, alg })}`,
      );
      const importKey = (jwk: RemoteJwk) => this.importKey(jwk, alg);
      error[Symbol.asyncIterator] = async function* () {
        for (const jwk of candidates) {
          try {
            yield await importKey(jwk);
          } catch {
            // jose's own iterator skips keys that do not import, too.
          }
        }
      };
      throw error;
    };
  }

  /**
   * The fetch state of a URI for the console (no fetch is made).
   *
   * @example
   * const { lastError, keyCount, nextRefreshAt, history } = cache.health(idp.jwksUri);
   */
  health(uri: string): JwksHealth {
    const state = this.states.get(uri) ?? newState(uri);
    const keys = state.keys ?? [];
    const hasKeys = state.keys !== null;
    let nextRefreshAt: number | null = null;
    if (hasKeys) nextRefreshAt = Math.max(state.freshUntil, state.nextFetchAllowedAt);
    else if (state.fetchCount > 0) nextRefreshAt = state.nextFetchAllowedAt;
    return {
      uri,
      lastFetchAt: state.lastFetchAt,
      lastSuccessAt: state.lastSuccessAt,
      lastError: state.lastError ? { ...state.lastError } : null,
      keyCount: keys.length,
      kids: keys.flatMap((k) => (k.kid === undefined ? [] : [k.kid])),
      freshUntil: hasKeys ? state.freshUntil : null,
      staleUntil: hasKeys ? state.freshUntil + this.maxStalenessMs : null,
      nextRefreshAt,
      consecutiveFailures: state.failures,
      refreshing: state.inFlight !== null,
      fetchCount: state.fetchCount,
      warnings: [...state.warnings],
      history: [...state.history],
    };
  }

  /**
   * The keys held for a URI, without fetching (null before the first success).
   *
   * @example
   * cache.peek(idp.jwksUri)?.map((k) => k.kid);
   */
  peek(uri: string): readonly RemoteJwk[] | null {
    return this.states.get(uri)?.keys ?? null;
  }

  /**
   * Drops everything held for a URI (an IdP deleted or its jwks_uri changed).
   *
   * @example
   * cache.forget(previousJwksUri);
   */
  forget(uri: string): void {
    this.states.delete(uri);
  }

  private async findKeys(uri: string, selector: KeySelector, limits: JwksFetchLimits): Promise<RemoteJwk[]> {
    const held = selectKeys(await this.getKeys(uri, limits), selector);
    if (held.length > 0) return held;
    const state = this.state(uri);
    if (state.inFlight || this.now() >= state.nextFetchAllowedAt) {
      try {
        await this.fetch(uri, state, limits);
      } catch {
        // The held keys stay; the miss is reported below with the failure.
      }
      const fetched = selectKeys(state.keys ?? [], selector);
      if (fetched.length > 0) return fetched;
    }
    throw this.keyNotFound(uri, state, selector);
  }

  private state(uri: string): UriState {
    let state = this.states.get(uri);
    if (!state) {
      state = newState(uri);
      this.states.set(uri, state);
    }
    return state;
  }

  /** The interval after `failures` consecutive failures: doubling from the minimum, capped. */
  private interval(failures: number): number {
    if (failures <= 1) return this.minIntervalMs;
    return Math.min(this.maxBackoffMs, this.minIntervalMs * 2 ** (failures - 1));
  }

  /** The single flight: one fetch per URI at a time; every caller meanwhile gets the same promise. */
  private fetch(uri: string, state: UriState, limits: JwksFetchLimits): Promise<JwksFetchResult> {
    if (state.inFlight) return state.inFlight;
    state.fetchCount += 1;
    // Close the gate now, not when the fetch ends, so nothing queues a second fetch meanwhile.
    state.nextFetchAllowedAt = Math.max(state.nextFetchAllowedAt, this.now() + this.interval(state.failures));
    const etag = state.keys ? state.etag : undefined;
    const flight = Promise.resolve()
      .then(() => this.fetcher(uri, { ...limits, allow: this.allow, etag, now: this.now }))
      .then(
        (result) => {
          this.recordSuccess(state, result);
          return result;
        },
        (error: unknown) => {
          throw this.recordFailure(uri, state, error);
        },
      )
      .finally(() => {
        state.inFlight = null;
      });
    state.inFlight = flight;
    return flight;
  }

  private recordSuccess(state: UriState, result: JwksFetchResult): void {
    const at = this.now();
    if (result.status === "ok") {
      state.keys = Object.freeze(result.keys.map((jwk) => Object.freeze(jwk)));
      state.warnings = Object.freeze([...result.warnings]);
    }
    state.etag = result.etag ?? (result.status === "ok" ? undefined : state.etag);
    state.freshUntil = at + result.maxAgeSeconds * 1000;
    state.lastSuccessAt = at;
    state.lastFetchAt = at;
    state.lastError = null;
    state.lastFetchError = null;
    state.failures = 0;
    state.nextFetchAllowedAt = at + this.minIntervalMs;
    this.remember(state, {
      at,
      ok: true,
      status: result.status,
      keyCount: state.keys?.length ?? 0,
      durationMs: result.durationMs,
    });
  }

  private recordFailure(uri: string, state: UriState, error: unknown): JwksFetchError {
    const at = this.now();
    const failure =
      error instanceof JwksFetchError
        ? error
        : new JwksFetchError("network", `the JWKS at ${uri} could not be fetched: ${error instanceof Error ? error.message : String(error)}`, uri, { cause: error });
    state.failures += 1;
    state.lastFetchAt = at;
    state.lastError = { at, code: failure.code, message: failure.message, ...(failure.httpStatus !== undefined ? { httpStatus: failure.httpStatus } : {}) };
    state.lastFetchError = failure;
    state.nextFetchAllowedAt = at + this.interval(state.failures);
    this.remember(state, {
      at,
      ok: false,
      code: failure.code,
      message: failure.message,
      ...(failure.httpStatus !== undefined ? { httpStatus: failure.httpStatus } : {}),
      durationMs: failure.durationMs ?? 0,
    });
    return failure;
  }

  private remember(state: UriState, record: JwksFetchRecord): void {
    this.onFetch?.(state.uri, record);
    state.history.unshift(record);
    if (state.history.length > HISTORY_LENGTH) state.history.length = HISTORY_LENGTH;
  }

  private unavailable(uri: string, state: UriState): JwksUnavailable {
    const failure = state.lastFetchError;
    const retry = `next attempt after ${iso(state.nextFetchAllowedAt)}`;
    const why = failure ? failure.message : "no fetch has succeeded";
    const message = state.keys
      ? `the keys from ${uri} are more than ${duration(this.maxStalenessMs)} past their max-age and could not be refreshed: ${why}; ${retry}`
      : `no keys from ${uri} yet: ${why}; ${retry}`;
    return new JwksUnavailable(message, uri, failure?.code, state.nextFetchAllowedAt, failure ? { cause: failure } : undefined);
  }

  private keyNotFound(uri: string, state: UriState, selector: KeySelector): KeyNotFound {
    const held = state.keys ?? [];
    const kids = held.flatMap((k) => (k.kid === undefined ? [] : [`"${k.kid}"`]));
    const what = selector.kid !== undefined ? `no key with kid "${selector.kid}"` : `no key for ${describeSelector(selector)}`;
    const heldText = kids.length > 0 ? `it has ${kids.join(", ")}` : `it has ${held.length} key${held.length === 1 ? "" : "s"}`;
    const fetched = state.lastFetchAt !== null ? `; last fetched at ${iso(state.lastFetchAt)}` : "";
    const failed = state.lastFetchError ? ` (that fetch failed: ${state.lastFetchError.message})` : "";
    const message = `${what} in the JWKS at ${uri} (${heldText})${fetched}${failed}; the next refetch may happen at ${iso(state.nextFetchAllowedAt)}`;
    return new KeyNotFound(message, uri, selector.kid, state.nextFetchAllowedAt);
  }

  private importKey(jwk: RemoteJwk, alg: string): Promise<CryptoKey> {
    let byAlg = this.imported.get(jwk);
    if (!byAlg) {
      byAlg = new Map();
      this.imported.set(jwk, byAlg);
    }
    let key = byAlg.get(alg);
    if (!key) {
      key = importJWK(jwk, alg) as Promise<CryptoKey>;
      const cache = byAlg;
      // A failed import is not kept, so the next JWT tries again.
      key.catch(() => cache.delete(alg));
      byAlg.set(alg, key);
    }
    return key;
  }
}

function newState(uri: string): UriState {
  return {
    uri,
    keys: null,
    warnings: [],
    freshUntil: 0,
    lastSuccessAt: null,
    lastFetchAt: null,
    lastError: null,
    lastFetchError: null,
    failures: 0,
    nextFetchAllowedAt: 0,
    inFlight: null,
    fetchCount: 0,
    history: [],
  };
}

function describeSelector(selector: KeySelector): string {
  if (selector.kid !== undefined) return `kid "${selector.kid}"${selector.alg ? ` and alg ${selector.alg}` : ""}`;
  return selector.alg ? `alg ${selector.alg} (the JWT has no kid)` : "a JWT without kid or alg";
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}
