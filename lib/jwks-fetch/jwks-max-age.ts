/**
 * How long fetched keys stay fresh, from the response's caching headers.
 * The freshness arithmetic (max-age vs Expires, Age, Date) is
 * http-cache-semantics'; the policy on top is Keyward's: a floor so an
 * upstream saying `no-cache` or `max-age=0` is not fetched on every JWT, a
 * ceiling so a rotated key is picked up within a day at worst, and a default
 * when the upstream says nothing.
 */
import CachePolicy from "http-cache-semantics";

export const DEFAULT_JWKS_MAX_AGE_SECONDS = 600;
export const MIN_JWKS_MAX_AGE_SECONDS = 60;
export const MAX_JWKS_MAX_AGE_SECONDS = 86_400;

type Headers = Record<string, string | string[] | undefined>;

/**
 * Seconds the keys of a response stay fresh: the response's remaining
 * freshness (Cache-Control max-age, or Expires, less Age) clamped to
 * [60, 86400]; 600 when the response states no freshness at all. A 304's
 * headers are read the same way (RFC 9110 §15.4.5 has the server repeat
 * Cache-Control and Expires on a 304).
 *
 * @example
 * jwksMaxAgeSeconds("https://idp.example/jwks", { "cache-control": "public, max-age=300" }); // 300
 * jwksMaxAgeSeconds("https://idp.example/jwks", { "cache-control": "no-store" }); // 60
 * jwksMaxAgeSeconds("https://idp.example/jwks", {}); // 600
 */
export function jwksMaxAgeSeconds(url: string, responseHeaders: Headers): number {
  const cacheControl = [responseHeaders["cache-control"]].flat().filter(Boolean).join(",");
  const statesFreshness = /(?:^|,)\s*(?:max-age|no-cache|no-store)\b/i.test(cacheControl) || responseHeaders.expires !== undefined;
  if (!statesFreshness) return DEFAULT_JWKS_MAX_AGE_SECONDS;
  // Keyward is the only reader of this copy, so `private` responses may be
  // kept (shared: false); no heuristic freshness from Last-Modified.
  const policy = new CachePolicy(
    { url, method: "GET", headers: {} },
    { status: 200, headers: responseHeaders },
    { shared: false, cacheHeuristic: 0 },
  );
  // age() counts the milliseconds since the response arrived; whole seconds are meant.
  const remaining = Math.round(policy.maxAge() - policy.age());
  return Math.min(MAX_JWKS_MAX_AGE_SECONDS, Math.max(MIN_JWKS_MAX_AGE_SECONDS, remaining));
}
