import type { Tx } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/sqlite/client";
import type { LifecycleKey } from "@/lib/rotation/lifecycle";

export type SigningKeyRow = Prisma.SigningKeyGetPayload<object>;

export async function keyForUpdate(tx: Tx, tenantId: string, kid: string): Promise<SigningKeyRow> {
  const key = await tx.signingKey.findUnique({ where: { tenantId_kid: { tenantId, kid } } });
  if (!key) throw notFound(`signing key "${kid}"`);
  return key;
}

/** The public summary of a key for the audit log (never key material). */
export function keySummary(k: SigningKeyRow) {
  return {
    kid: k.kid,
    alg: k.alg,
    state: k.state,
    appId: k.appId,
    source: k.source,
    certSubject: k.certSubject,
    certNotAfter: k.certNotAfter?.toISOString() ?? null,
  };
}

export function stateConflict(key: SigningKeyRow, what: string): AppError {
  return new AppError("conflict", `key "${key.kid}" is ${key.state}; ${what}`);
}

/** Refuses a key whose certificate is outside its validity window (it must never sign). */
export function assertCertificateValid(key: Pick<SigningKeyRow, "kid" | "certNotBefore" | "certNotAfter">, now = new Date()): void {
  if (key.certNotAfter && key.certNotAfter <= now) {
    throw new AppError("conflict", `key "${key.kid}" cannot sign: its certificate expired on ${key.certNotAfter.toISOString()}; attach the renewed certificate first`);
  }
  if (key.certNotBefore && key.certNotBefore > now) {
    throw new AppError("conflict", `key "${key.kid}" cannot sign yet: its certificate is not valid before ${key.certNotBefore.toISOString()}`);
  }
}

/** The AAD a key's private part is sealed with: the ciphertext only opens as this key's. */
export function signingKeyAad(tenantId: string, kid: string): string {
  return `signing-key:${tenantId}:${kid}`;
}

/** The fields of a key row the lifecycle rules read. */
export function toLifecycleKey(k: SigningKeyRow): LifecycleKey {
  return {
    kid: k.kid,
    state: k.state,
    appId: k.appId,
    source: k.source,
    createdAt: k.createdAt,
    activatedAt: k.activatedAt,
    retiredAt: k.retiredAt,
    activatesAt: k.activatesAt,
    removesAt: k.removesAt,
    certNotBefore: k.certNotBefore,
    certNotAfter: k.certNotAfter,
    certSubject: k.certSubject,
    certIssuer: k.certIssuer,
    hasPrivateKey: k.privateKeySealed !== null,
  };
}
