import { createPrivateKey, type KeyObject } from "node:crypto";
import type { JWTPayload } from "jose";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { unsealToString } from "@/lib/crypto/seal";
import { signJwt } from "@/lib/crypto/sign-jwt";
import type { SigningAlg } from "@/lib/crypto/signing-algorithms";
import { assertCertificateValid, signingKeyAad } from "@/lib/keys/key-row";
import { publishedTenant } from "@/lib/protocol/published-state";

interface CachedSigner {
  publishVersion: number;
  kid: string;
  alg: SigningAlg;
  key: KeyObject;
  certNotBefore: Date | null;
  certNotAfter: Date | null;
}

// Unsealed keys stay in this process's memory only, per tenant and app scope,
// until what the tenant publishes changes (publishVersion moves).
// A scope without an active key is remembered too (signer null), so asking
// for an app's own key costs no query per token when the app has none.
const g = globalThis as unknown as { __keywardSigners?: Map<string, { publishVersion: number; signer: CachedSigner | null }> };
const signers = (g.__keywardSigners ??= new Map());

async function activeSigner(slug: string, appId: string | undefined): Promise<CachedSigner | null> {
  const tenant = await publishedTenant(slug);
  if (!tenant) throw new AppError("not_found", `no tenant "${slug}"`);
  const cacheKey = `${tenant.id}\u0000${appId ?? ""}`;
  const cached = signers.get(cacheKey);
  if (cached && cached.publishVersion === tenant.publishVersion) return cached.signer;
  const row = await db().signingKey.findFirst({ where: { tenantId: tenant.id, appId: appId ?? null, state: "active" } });
  if (!row?.privateKeySealed) {
    signers.set(cacheKey, { publishVersion: tenant.publishVersion, signer: null });
    return null;
  }
  const pem = unsealToString(row.privateKeySealed, env().kek, signingKeyAad(row.tenantId, row.kid));
  const signer: CachedSigner = {
    publishVersion: tenant.publishVersion,
    kid: row.kid,
    alg: row.alg as SigningAlg,
    key: createPrivateKey(pem),
    certNotBefore: row.certNotBefore,
    certNotAfter: row.certNotAfter,
  };
  signers.set(cacheKey, { publishVersion: tenant.publishVersion, signer });
  return signer;
}

/**
 * Signs claims as a JWT with the tenant's (or app's) active key — with
 * `fallbackToTenant`, the app's own key when it has one, else the tenant's — its kid in the
 * header. A key whose certificate has expired refuses to sign.
 */
export async function signForTenant(
  slug: string,
  claims: JWTPayload,
  options: { appId?: string; typ?: string; fallbackToTenant?: boolean } = {},
): Promise<{ jwt: string; kid: string; alg: SigningAlg }> {
  let signer = await activeSigner(slug, options.appId);
  if (!signer && options.appId && options.fallbackToTenant) signer = await activeSigner(slug, undefined);
  if (!signer) {
    throw new AppError("conflict", `tenant "${slug}"${options.appId && !options.fallbackToTenant ? ` app "${options.appId}"` : ""} has no active signing key`);
  }
  assertCertificateValid(signer);
  const jwt = await signJwt({ privateKey: signer.key, alg: signer.alg, kid: signer.kid, claims, typ: options.typ });
  return { jwt, kid: signer.kid, alg: signer.alg };
}
