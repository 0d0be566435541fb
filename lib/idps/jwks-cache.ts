import { RemoteJwksCache } from "@/lib/jwks-fetch/remote-jwks-cache";
import { env } from "@/lib/env";
import { metrics } from "@/lib/observability/metrics";

const g = globalThis as unknown as { __keywardJwksCache?: RemoteJwksCache };

function createCache(now?: () => number): RemoteJwksCache {
  return new RemoteJwksCache({
    allow: env().outboundAllow,
    maxStalenessMs: env().jwksMaxStalenessSeconds * 1000,
    onFetch: (uri, record) => metrics().jwksFetch(uri, record.ok ? record.status : record.code),
    onLookup: (result) => metrics().jwksLookup(result),
    ...(now ? { now } : {}),
  });
}

/**
 * The process's remote JWKS cache, shared by the custom server and Next's
 * bundle (two module graphs, one process), so the token endpoint and the
 * console see the same keys and the same health.
 */
export function remoteJwksCache(): RemoteJwksCache {
  g.__keywardJwksCache ??= createCache();
  return g.__keywardJwksCache;
}

/**
 * A new, empty process cache from the current environment, on the clock
 * given (tests that must see keys go stale without waiting minutes).
 */
export function resetRemoteJwksCacheForTests(now?: () => number): void {
  g.__keywardJwksCache = createCache(now);
}
