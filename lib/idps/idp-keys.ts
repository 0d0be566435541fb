import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { db } from "@/lib/db";
import { requireRole, type Actor, requireTenantRole } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { JwksFetchError } from "@/lib/jwks-fetch/jwks-fetch-error";
import { fetchJwks } from "@/lib/jwks-fetch/fetch-jwks";
import { env } from "@/lib/env";
import type { JwksHealth } from "@/lib/jwks-fetch/remote-jwks-cache";
import type { JwksFetchLimits } from "@/lib/jwks-fetch/fetch-jwks";
import { remoteJwksCache } from "@/lib/idps/jwks-cache";
import { idpRow, toIdpView } from "@/lib/idps/identity-providers";
import { verifyAssertion, type AssertionResult } from "@/lib/idps/verify-assertion";

export const verifyJwtSchema = z.object({ jwt: z.string().trim().min(1, "is required").max(100_000) }).meta({ id: "VerifyJwt" });

export interface IdpKeySummary {
  kid: string | null;
  kty: string;
  alg: string | null;
  certificateExpiry: string | null;
}

/** kid, kty, alg and certificate expiry of each key, for the console. */
export function summarizeKeys(keys: readonly Record<string, unknown>[]): IdpKeySummary[] {
  return keys.map((k) => {
    let certificateExpiry: string | null = null;
    const x5c = Array.isArray(k.x5c) && typeof k.x5c[0] === "string" ? k.x5c[0] : null;
    if (x5c) {
      try {
        certificateExpiry = new Date(new X509Certificate(Buffer.from(x5c, "base64")).validTo).toISOString();
      } catch {
        certificateExpiry = null;
      }
    }
    return { kid: typeof k.kid === "string" ? k.kid : null, kty: String(k.kty), alg: typeof k.alg === "string" ? k.alg : null, certificateExpiry };
  });
}

function healthView(h: JwksHealth) {
  const at = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    lastFetchAt: at(h.lastFetchAt),
    lastSuccessAt: at(h.lastSuccessAt),
    lastError: h.lastError ? { at: new Date(h.lastError.at).toISOString(), code: h.lastError.code, message: h.lastError.message } : null,
    keyCount: h.keyCount,
    nextRefreshAt: at(h.nextRefreshAt),
    consecutiveFailures: h.consecutiveFailures,
    history: h.history.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
  };
}
export type IdpHealthView = ReturnType<typeof healthView>;

/** Fetch history and state of an IdP's jwks_uri in this process (null for inline keys). */
export function idpHealth(jwksUri: string | null): IdpHealthView | null {
  return jwksUri ? healthView(remoteJwksCache().health(jwksUri)) : null;
}

/**
 * Fetches the IdP's keys now (the console's Refresh and Test buttons) and
 * answers what was found. A failing upstream is a 502 naming the fault; the
 * keys held before keep serving.
 */
export async function refreshIdentityProviderKeys(actor: Actor, slug: string, id: string) {
  requireTenantRole(actor, "operator", slug);
  const idp = toIdpView(await idpRow(slug, id));
  if (idp.keySource !== "jwks_uri" || !idp.jwksUri) {
    return { keys: summarizeKeys(idp.jwks?.keys ?? []), fetchedAt: null, warnings: [], health: null };
  }
  return refreshRemoteKeys(actor, idp.jwksUri, idp.fetch, { action: "idp.refresh", target: { type: "identity_provider", id }, tenantSlug: slug }, summarizeKeys);
}

/**
 * Fetches a jwks_uri now through the remote JWKS cache the token endpoint
 * uses (the console's Refresh and Test buttons), audits the fetch, and answers
 * the keys found (as `describe` shows them), when, any warnings and the fetch
 * health. A failing upstream is a 502 naming the fault; the keys held before
 * keep verifying.
 */
export async function refreshRemoteKeys<K>(
  actor: Actor,
  uri: string,
  limits: JwksFetchLimits | undefined,
  audit: { action: string; target: { type: string; id: string }; tenantSlug: string },
  describe: (keys: Record<string, unknown>[]) => K[],
) {
  try {
    const result = await remoteJwksCache().refresh(uri, limits);
    await db().$transaction((tx) => recordAudit(tx, actor, { ...audit, after: { keyCount: result.keys.length, status: result.status } }));
    return {
      keys: describe(result.keys as unknown as Record<string, unknown>[]),
      fetchedAt: new Date(result.fetchedAt).toISOString(),
      warnings: [...result.warnings],
      health: idpHealth(uri),
    };
  } catch (error) {
    if (error instanceof JwksFetchError) throw new AppError("upstream_failed", error.message);
    throw error;
  }
}

/** The JWT tester: every check of an assertion against this IdP, without consuming its jti. */
export async function verifyJwtWithIdentityProvider(
  actor: Actor,
  slug: string,
  id: string,
  input: unknown,
): Promise<AssertionResult & { errors: string[] }> {
  requireTenantRole(actor, "viewer", slug);
  const { jwt } = parseInput(verifyJwtSchema, input);
  const result = await verifyAssertion(jwt, toIdpView(await idpRow(slug, id)));
  return { ...result, errors: result.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`) };
}

export const testJwksUriSchema = z
  .object({
    jwksUri: z.string().trim().min(1, "is required").max(2000),
    fetch: z
      .object({
        connectTimeoutMs: z.number().int().min(100).max(30_000).optional(),
        readTimeoutMs: z.number().int().min(100).max(30_000).optional(),
        sizeLimitBytes: z.number().int().min(1024).max(1_048_576).optional(),
      })
      .optional(),
  })
  .meta({ id: "TestJwksUri" });

/**
 * The form's Test button: fetches a jwks_uri right away, before anything is
 * saved, and answers the keys found — or a 400 (refused address) / 502
 * (upstream fault) that says why.
 */
export async function testJwksUri(actor: Actor, input: unknown) {
  requireRole(actor, "operator");
  const data = parseInput(testJwksUriSchema, input);
  try {
    const result = await fetchJwks(data.jwksUri, { allow: env().outboundAllow, ...data.fetch });
    if (result.status !== "ok") throw new AppError("upstream_failed", "the JWKS answered 304 to a request that had no ETag");
    return { keys: summarizeKeys(result.keys as unknown as Record<string, unknown>[]), fetchedAt: new Date(result.fetchedAt).toISOString(), warnings: [...result.warnings], health: null };
  } catch (error) {
    if (error instanceof JwksFetchError) {
      throw error.code === "refused_address"
        ? new AppError("validation_failed", `jwksUri: ${error.message}`, [{ path: "jwksUri", message: error.message }])
        : new AppError("upstream_failed", error.message);
    }
    throw error;
  }
}
