import { createPublicKey, type JsonWebKey } from "node:crypto";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { listKeysQuerySchema, type SigningKeyView } from "@/lib/keys/schemas";
import { toKeyView } from "@/lib/keys/key-view";
import type { SigningKeyRow } from "@/lib/keys/key-row";

const STATE_ORDER: Record<string, number> = { active: 0, staged: 1, retired: 2, revoked: 3, removed: 4 };

async function tenantOf(slug: string): Promise<{ id: string; expiryWarningDays: number }> {
  const tenant = await db().tenant.findUnique({ where: { slug }, select: { id: true, expiryWarningDays: true } });
  if (!tenant) throw notFound(`tenant "${slug}"`);
  return tenant;
}

/** A tenant's signing keys, active first, then staged, retired, revoked, removed; newest first within a state. */
export async function listSigningKeys(actor: Actor, slug: string, query: unknown = {}): Promise<SigningKeyView[]> {
  requireTenantRole(actor, "viewer", slug);
  const q = parseInput(listKeysQuerySchema, query ?? {});
  const tenant = await tenantOf(slug);
  const rows: SigningKeyRow[] = await db().signingKey.findMany({
    where: { tenantId: tenant.id, ...(q.state ? { state: q.state } : {}), ...(q.appId !== undefined ? { appId: q.appId } : {}) },
    orderBy: { createdAt: "desc" },
    take: 1000,
  });
  rows.sort((a, b) => (STATE_ORDER[a.state] ?? 9) - (STATE_ORDER[b.state] ?? 9));
  return rows.map((r) => toKeyView(r, tenant.expiryWarningDays));
}

export async function getSigningKey(actor: Actor, slug: string, kid: string): Promise<SigningKeyView> {
  requireTenantRole(actor, "viewer", slug);
  const tenant = await tenantOf(slug);
  const row = await db().signingKey.findUnique({ where: { tenantId_kid: { tenantId: tenant.id, kid } } });
  if (!row) throw notFound(`signing key "${kid}"`);
  return toKeyView(row, tenant.expiryWarningDays);
}

/** The key's public key as SPKI PEM and its certificate chain, for download. */
export async function getSigningKeyPublicFiles(actor: Actor, slug: string, kid: string): Promise<{ publicKeyPem: string; certificateChainPem: string | null; csrPem: string | null }> {
  requireTenantRole(actor, "viewer", slug);
  const row = await db().signingKey.findUnique({ where: { tenantId_kid: { tenantId: (await tenantOf(slug)).id, kid } } });
  if (!row) throw notFound(`signing key "${kid}"`);
  const publicKeyPem = createPublicKey({ key: JSON.parse(row.publicJwk) as JsonWebKey, format: "jwk" })
    .export({ type: "spki", format: "pem" })
    .toString();
  return { publicKeyPem, certificateChainPem: row.certificateChainPem, csrPem: row.csrPem };
}
