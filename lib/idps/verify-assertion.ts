import { compactVerify, createLocalJWKSet, errors as joseErrors, type JWSHeaderParameters, type JWTPayload } from "jose";
import { decodeCompactJws, untrustedHeaderProblem } from "@/lib/crypto/decode-jws";
import { KeyNotFound, JwksUnavailable } from "@/lib/jwks-fetch/remote-jwks-cache";
import { remoteJwksCache } from "@/lib/idps/jwks-cache";
import type { IdpView } from "@/lib/idps/schemas";

export type CheckName = "format" | "alg" | "header" | "iss" | "kid" | "signature" | "aud" | "exp" | "nbf" | "iat" | "lifetime" | "sub" | "jti";

export interface Check {
  name: CheckName;
  ok: boolean;
  detail: string;
}

export interface AssertionResult {
  valid: boolean;
  header: Record<string, unknown> | null;
  claims: JWTPayload | null;
  kid: string | null;
  checks: Check[];
  /** The first failed check's detail: the error description of the token endpoint. */
  error: string | null;
}

type KeyResolver = (header: JWSHeaderParameters) => Promise<CryptoKey | Uint8Array | import("jose").KeyObject>;

// One local key set per inline JWKS object: a caller that keeps its IdP view
// (the token endpoint, lib/protocol/trusted-parties.ts) imports each key once.
const localSets = new WeakMap<object, KeyResolver>();

/** Where an IdP's verification keys come from: the remote cache, or its inline/certificate JWKS. */
export function idpKeyResolver(idp: Pick<IdpView, "keySource" | "jwksUri" | "jwks" | "fetch">): KeyResolver {
  if (idp.keySource === "jwks_uri" && idp.jwksUri) return remoteJwksCache().resolver(idp.jwksUri, idp.fetch) as KeyResolver;
  if (!idp.jwks) return createLocalJWKSet({ keys: [] }) as unknown as KeyResolver;
  let set = localSets.get(idp.jwks);
  if (!set) {
    set = createLocalJWKSet({ keys: idp.jwks.keys as never[] }) as unknown as KeyResolver;
    localSets.set(idp.jwks, set);
  }
  return set;
}

// A NumericDate far beyond year 275760 is still a JSON number: say so rather than throw.
const iso = (seconds: number) => {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds} (not a representable date)` : date.toISOString();
};

/**
 * Checks a JWT assertion against an IdP, one named check at a time (RFC 7523
 * §3): the JWT tester shows them all, the token endpoint answers the first
 * failure. Never trusts the header to pick anything but a key by kid among the
 * IdP's own keys; `none` and HMAC are never accepted.
 */
export async function verifyAssertion(
  jwt: string,
  idp: Pick<IdpView, "name" | "audience" | "allowedAlgs" | "clockSkewSeconds" | "maxAssertionLifetimeSeconds" | "keySource" | "jwksUri" | "jwks" | "fetch" | "refuseJtiReuse">,
  now = Math.floor(Date.now() / 1000),
): Promise<AssertionResult> {
  const checks: Check[] = [];
  const add = (name: CheckName, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  let header: Record<string, unknown> | null = null;
  let claims: JWTPayload | null = null;
  try {
    const decoded = decodeCompactJws(jwt);
    header = decoded.header;
    claims = decoded.payload as JWTPayload;
    add("format", true, "a signed JWT (JWS compact serialization)");
  } catch (error) {
    add("format", false, `the assertion is not a signed JWT: ${(error as Error).message}`);
    return finish(checks, header, claims);
  }
  const alg = typeof header.alg === "string" ? header.alg : "";
  const kid = typeof header.kid === "string" ? header.kid : null;
  if (!alg || alg === "none" || alg.startsWith("HS")) add("alg", false, `alg "${alg || "(missing)"}" is never accepted; the IdP must sign with a public-key algorithm`);
  else if (!idp.allowedAlgs.includes(alg)) add("alg", false, `alg ${alg} is not allowed for this IdP (allowed: ${idp.allowedAlgs.join(", ")})`);
  else add("alg", true, `${alg} is allowed`);
  const headerProblem = untrustedHeaderProblem(header);
  add("header", headerProblem === null, headerProblem ?? "no member that points at keys or needs an extension");
  add("iss", claims.iss === idp.name, claims.iss === idp.name ? `iss is "${idp.name}"` : `iss is ${JSON.stringify(claims.iss ?? null)}, expected "${idp.name}"`);

  // Never look for a key for a JWT whose algorithm or header is refused.
  if (checks.every((c) => c.ok || c.name === "iss")) {
    try {
      await compactVerify(jwt, idpKeyResolver(idp), { algorithms: idp.allowedAlgs });
      add("kid", true, kid ? `key "${kid}" found` : "key found by algorithm");
      add("signature", true, "the signature is valid");
    } catch (error) {
      if (error instanceof KeyNotFound || error instanceof joseErrors.JWKSNoMatchingKey) {
        add("kid", false, kid ? `no key "${kid}" in the IdP's keys${error instanceof KeyNotFound ? ` (${error.message})` : ""}` : "the JWT names no kid and no single key fits");
      } else if (error instanceof JwksUnavailable) {
        add("kid", false, `the IdP's keys cannot be fetched: ${error.message}`);
      } else {
        add("kid", true, kid ? `key "${kid}" found` : "key found");
        add("signature", false, error instanceof joseErrors.JWSSignatureVerificationFailed ? "the signature does not verify with the IdP's key" : `the signature could not be checked: ${(error as Error).message}`);
      }
    }
  }

  const aud = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  add("aud", aud.includes(idp.audience), aud.includes(idp.audience) ? `aud contains "${idp.audience}"` : `aud is ${JSON.stringify(claims.aud ?? null)}; it must contain "${idp.audience}"`);
  const skew = idp.clockSkewSeconds;
  if (typeof claims.exp !== "number") add("exp", false, "exp is missing");
  else if (claims.exp + skew <= now) add("exp", false, `expired at ${iso(claims.exp)} (now ${iso(now)}, skew ${skew} s)`);
  else add("exp", true, `expires at ${iso(claims.exp)}`);
  if (claims.nbf === undefined) add("nbf", true, "no nbf");
  else if (typeof claims.nbf !== "number") add("nbf", false, "nbf is not a number");
  else if (claims.nbf - skew > now) add("nbf", false, `not valid before ${iso(claims.nbf)} (now ${iso(now)}, skew ${skew} s)`);
  else add("nbf", true, `valid since ${iso(claims.nbf)}`);
  if (typeof claims.iat !== "number") add("iat", false, "iat is missing");
  else if (claims.iat - skew > now) add("iat", false, `issued in the future (${iso(claims.iat)}, now ${iso(now)})`);
  else add("iat", true, `issued at ${iso(claims.iat)}`);
  if (typeof claims.exp === "number" && typeof claims.iat === "number") {
    const lifetime = claims.exp - claims.iat;
    const ok = lifetime > 0 && lifetime <= idp.maxAssertionLifetimeSeconds;
    add("lifetime", ok, ok ? `lives ${lifetime} s` : `lives ${lifetime} s; at most ${idp.maxAssertionLifetimeSeconds} s is accepted`);
  }
  add("sub", typeof claims.sub === "string" && claims.sub.length > 0, typeof claims.sub === "string" && claims.sub ? `sub is "${claims.sub}"` : "sub is missing");
  // The token endpoint records the jti once (replay) when the IdP asks it to; its type matters either way.
  if (claims.jti === undefined) add("jti", !idp.refuseJtiReuse, idp.refuseJtiReuse ? "jti is missing; this identity provider's assertions must each carry a jti" : "no jti");
  else if (typeof claims.jti !== "string" || claims.jti.length === 0) add("jti", false, "jti must be a non-empty string");
  else add("jti", true, idp.refuseJtiReuse ? `jti "${claims.jti}", accepted once` : `jti "${claims.jti}"`);
  return finish(checks, header, claims, kid);
}

function finish(checks: Check[], header: Record<string, unknown> | null, claims: JWTPayload | null, kid: string | null = null): AssertionResult {
  const failed = checks.find((c) => !c.ok);
  return { valid: !failed, header, claims, kid, checks, error: failed ? `${failed.name}: ${failed.detail}` : null };
}
