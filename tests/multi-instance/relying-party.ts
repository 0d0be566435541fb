// A relying party as the rotation rules assume one: it caches the JWKS exactly
// as long as the response's Cache-Control allows (the freshness arithmetic is
// http-cache-semantics'), revalidates with If-None-Match once it is stale, and
// does NOT refetch when a token names a kid it does not know — so a key that
// signs before every instance published it for max-age shows up as a failure.

import CachePolicy from "http-cache-semantics";
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from "jose";

export type Verdict = { ok: true; kid: string } | { ok: false; kid: string | undefined; unknownKid: boolean; error: string };

interface Cached {
  jwks: JSONWebKeySet;
  policy: CachePolicy;
}

function headersOf(res: Response): Record<string, string> {
  return Object.fromEntries(res.headers.entries());
}

export class RelyingParty {
  fetches = 0;
  notModified = 0;
  private cached: Cached | null = null;
  private inFlight: Promise<JSONWebKeySet> | null = null;

  constructor(
    readonly name: string,
    readonly jwksUrl: string,
    readonly issuer: string,
  ) {}

  private request(headers: Record<string, string> = {}): CachePolicy.Request {
    return { url: this.jwksUrl, method: "GET", headers };
  }

  /** The cached JWKS while fresh; else one (shared) fetch or revalidation. */
  keys(): Promise<JSONWebKeySet> {
    const cached = this.cached;
    if (cached && cached.policy.satisfiesWithoutRevalidation(this.request())) return Promise.resolve(cached.jwks);
    this.inFlight ??= this.fetchKeys(cached).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async fetchKeys(cached: Cached | null): Promise<JSONWebKeySet> {
    const revalidation = cached ? (cached.policy.revalidationHeaders(this.request()) as Record<string, string>) : {};
    const res = await fetch(this.jwksUrl, { headers: revalidation, signal: AbortSignal.timeout(10_000) });
    this.fetches++;
    if (res.status === 304 && cached) {
      this.notModified++;
      const { policy, modified } = cached.policy.revalidatedPolicy(this.request(revalidation), { status: 304, headers: headersOf(res) });
      if (!modified) {
        this.cached = { jwks: cached.jwks, policy };
        return cached.jwks;
      }
    }
    if (res.status !== 200) throw new Error(`${this.name}: GET ${this.jwksUrl} answered ${res.status}`);
    const jwks = (await res.json()) as JSONWebKeySet;
    this.cached = { jwks, policy: new CachePolicy(this.request(), { status: 200, headers: headersOf(res) }, { shared: false, cacheHeuristic: 0 }) };
    return jwks;
  }

  /** Verifies an access token with the cached keys (signature, iss, exp, typ). */
  async verify(token: string): Promise<Verdict> {
    let kid: string | undefined;
    try {
      kid = (JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8")) as { kid?: string }).kid;
    } catch {
      // reported below
    }
    const jwks = await this.keys();
    try {
      await jwtVerify(token, createLocalJWKSet(jwks), { issuer: this.issuer, typ: "at+jwt" });
      return { ok: true, kid: kid! };
    } catch (error) {
      return {
        ok: false,
        kid,
        unknownKid: error instanceof errors.JWKSNoMatchingKey,
        error: `${(error as Error).name}: ${(error as Error).message} (cached kids: ${jwks.keys.map((k) => k.kid).join(", ")})`,
      };
    }
  }
}
