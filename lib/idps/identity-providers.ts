import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { AppError, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { isUniqueViolation } from "@/lib/db/errors";
import { checkedJwksUri } from "@/lib/jwks-fetch/checked-jwks-uri";
import { tenantIssuer } from "@/lib/tenants/tenants";
import { certificatesJwks, inlineJwks } from "@/lib/idps/key-sources";
import { createIdpSchema, DEFAULT_ASSERTION_ALGS, updateIdpSchema, type IdpView } from "@/lib/idps/schemas";
import { STALE, versionedEdit, type EditOptions } from "@/lib/concurrency/versions";
import { bumpTrustVersion, trustChanged } from "@/lib/protocol/trust-version";

type IdpRow = Prisma.IdentityProviderGetPayload<object>;

export function toIdpView(row: IdpRow): IdpView {
  return {
    id: row.id,
    name: row.name,
    audience: row.audience,
    keySource: row.keySource as IdpView["keySource"],
    jwksUri: row.jwksUri,
    jwks: row.jwks ? (JSON.parse(row.jwks) as IdpView["jwks"]) : null,
    allowedAlgs: JSON.parse(row.allowedAlgs) as string[],
    enabled: row.enabled,
    maxAssertionLifetimeSeconds: row.maxAssertionLifetimeSeconds,
    clockSkewSeconds: row.clockSkewSeconds,
    refuseJtiReuse: row.refuseJtiReuse,
    fetch: { connectTimeoutMs: row.connectTimeoutMs, readTimeoutMs: row.readTimeoutMs, sizeLimitBytes: row.sizeLimitBytes },
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

function summary(row: IdpRow) {
  return {
    name: row.name,
    audience: row.audience,
    keySource: row.keySource,
    jwksUri: row.jwksUri,
    allowedAlgs: JSON.parse(row.allowedAlgs) as string[],
    enabled: row.enabled,
    keyCount: row.jwks ? (JSON.parse(row.jwks) as { keys: unknown[] }).keys.length : null,
    version: row.version,
  };
}


function keySourceData(input: { jwksUri?: string; jwks?: { keys: Record<string, unknown>[] }; certificatePem?: string }) {
  if (input.jwksUri) return { keySource: "jwks_uri", jwksUri: checkedJwksUri(input.jwksUri), jwks: null, certificatesPem: null };
  if (input.jwks) return { keySource: "jwks", jwksUri: null, jwks: JSON.stringify(inlineJwks(input.jwks)), certificatesPem: null };
  if (input.certificatePem) {
    return { keySource: "certificates", jwksUri: null, jwks: JSON.stringify(certificatesJwks(input.certificatePem)), certificatesPem: input.certificatePem };
  }
  return null;
}

async function tenantOf(slug: string) {
  const tenant = await db().tenant.findUnique({ where: { slug }, select: { id: true, slug: true } });
  if (!tenant) throw notFound(`tenant "${slug}"`);
  return tenant;
}

function nameTaken(name: string): AppError {
  return new AppError("conflict", `an identity provider with the issuer "${name}" already exists in this tenant`, [
    { path: "name", message: "is already registered in this tenant" },
  ]);
}

export async function listIdentityProviders(actor: Actor, slug: string): Promise<IdpView[]> {
  requireTenantRole(actor, "viewer", slug);
  const tenant = await tenantOf(slug);
  const rows = await db().identityProvider.findMany({ where: { tenantId: tenant.id }, orderBy: { name: "asc" }, take: 1000 });
  return rows.map(toIdpView);
}

export async function getIdentityProvider(actor: Actor, slug: string, id: string): Promise<IdpView> {
  requireTenantRole(actor, "viewer", slug);
  return toIdpView(await idpRow(slug, id));
}

/** The row of an IdP of a tenant (the tenant is part of the lookup: no mixing across tenants). */
export async function idpRow(slug: string, id: string): Promise<IdpRow> {
  const tenant = await tenantOf(slug);
  const row = await db().identityProvider.findFirst({ where: { id, tenantId: tenant.id } });
  if (!row) throw notFound(`identity provider ${id}`);
  return row;
}

/**
 * Registers an IdP: its issuer, the audience its assertions must target
 * (default: this tenant's token endpoint), and where its keys come from.
 */
export async function createIdentityProvider(actor: Actor, slug: string, input: unknown): Promise<IdpView> {
  requireTenantRole(actor, "operator", slug);
  const data = parseInput(createIdpSchema, input);
  const tenant = await tenantOf(slug);
  const source = keySourceData(data)!;
  const row = await db()
    .$transaction(async (tx) => {
      if (await tx.identityProvider.findFirst({ where: { tenantId: tenant.id, name: data.name } })) throw nameTaken(data.name);
      const created = await tx.identityProvider.create({
        data: {
          tenantId: tenant.id,
          name: data.name,
          audience: data.audience ?? `${tenantIssuer(slug)}/oauth2/token`,
          ...source,
          allowedAlgs: JSON.stringify(data.allowedAlgs ?? DEFAULT_ASSERTION_ALGS),
          enabled: data.enabled ?? true,
          maxAssertionLifetimeSeconds: data.maxAssertionLifetimeSeconds ?? 3600,
          clockSkewSeconds: data.clockSkewSeconds ?? 60,
          refuseJtiReuse: data.refuseJtiReuse ?? true,
          connectTimeoutMs: data.fetch?.connectTimeoutMs ?? 1000,
          readTimeoutMs: data.fetch?.readTimeoutMs ?? 1000,
          sizeLimitBytes: data.fetch?.sizeLimitBytes ?? 51_200,
          createdBy: actor.label,
        },
      });
      await bumpTrustVersion(tx, tenant.id);
      await recordAudit(tx, actor, { action: "idp.create", target: { type: "identity_provider", id: created.id }, tenantSlug: slug, after: summary(created) });
      return created;
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? nameTaken(data.name) : error;
    });
  trustChanged(slug);
  return toIdpView(row);
}

export async function updateIdentityProvider(actor: Actor, slug: string, id: string, input: unknown, options: EditOptions = {}): Promise<IdpView> {
  requireTenantRole(actor, "operator", slug);
  const data = parseInput(updateIdpSchema, input);
  const source = keySourceData(data);
  let name: string | undefined;
  const row = await versionedEdit({
    object: (row) => `identity provider "${row.name}"`,
    target: { type: "identity_provider", id, tenantSlug: slug },
    expected: options.expectedVersion,
    load: () => idpRow(slug, id),
    write: (before) => {
      name = data.name ?? before.name;
      return db().$transaction(async (tx) => {
        // The check and the write are one statement: a concurrent edit of the same version matches no row.
        const { count } = await tx.identityProvider.updateMany({
          where: { id: before.id, version: before.version },
          data: {
            ...(data.name !== undefined ? { name: data.name } : {}),
            ...(data.audience !== undefined ? { audience: data.audience } : {}),
            ...(source ?? {}),
            ...(data.allowedAlgs !== undefined ? { allowedAlgs: JSON.stringify(data.allowedAlgs) } : {}),
            ...(data.enabled !== undefined ? { enabled: data.enabled } : {}),
            ...(data.maxAssertionLifetimeSeconds !== undefined ? { maxAssertionLifetimeSeconds: data.maxAssertionLifetimeSeconds } : {}),
            ...(data.clockSkewSeconds !== undefined ? { clockSkewSeconds: data.clockSkewSeconds } : {}),
            ...(data.refuseJtiReuse !== undefined ? { refuseJtiReuse: data.refuseJtiReuse } : {}),
            ...(data.fetch?.connectTimeoutMs !== undefined ? { connectTimeoutMs: data.fetch.connectTimeoutMs } : {}),
            ...(data.fetch?.readTimeoutMs !== undefined ? { readTimeoutMs: data.fetch.readTimeoutMs } : {}),
            ...(data.fetch?.sizeLimitBytes !== undefined ? { sizeLimitBytes: data.fetch.sizeLimitBytes } : {}),
            version: { increment: 1 },
          },
        });
        if (count === 0) return STALE;
        const updated = await tx.identityProvider.findUniqueOrThrow({ where: { id: before.id } });
        await bumpTrustVersion(tx, before.tenantId);
        await recordAudit(tx, actor, { action: "idp.update", target: { type: "identity_provider", id }, tenantSlug: slug, before: summary(before), after: summary(updated) });
        return updated;
      });
    },
  }).catch((error: unknown) => {
    throw isUniqueViolation(error) ? nameTaken(name ?? data.name ?? "") : error;
  });
  trustChanged(slug);
  return toIdpView(row);
}

export async function deleteIdentityProvider(actor: Actor, slug: string, id: string): Promise<void> {
  requireTenantRole(actor, "operator", slug);
  const before = await idpRow(slug, id);
  await db().$transaction(async (tx) => {
    await tx.identityProvider.delete({ where: { id: before.id } });
    await bumpTrustVersion(tx, before.tenantId);
    await recordAudit(tx, actor, { action: "idp.delete", target: { type: "identity_provider", id }, tenantSlug: slug, before: summary(before) });
  });
  trustChanged(slug);
}
