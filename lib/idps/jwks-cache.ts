import { RemoteJwksCache } from "@/lib/jwks-fetch/remote-jwks-cache";
import { env } from "@/lib/env";
import { metrics } from "@/lib/observability/metrics";

const g = globalThis as unknown as { __keywardJwksCache?: RemoteJwksCache };

/**
 * The process's remote JWKS cache, shared by the custom server and Next's
 * bundle (two module graphs, one process), so the token endpoint and the
 * console see the same keys and the same health.
 */
export function remoteJwksCache(): RemoteJwksCache {
  g.__keywardJwksCache ??= new RemoteJwksCache({
    allow: env().outboundAllow,
    onFetch: (uri, record) => metrics().jwksFetch(uri, record.ok ? record.status : record.code),
    onLookup: (result) => metrics().jwksLookup(result),
  });
  return g.__keywardJwksCache;
}
