import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { env } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { requireRole, type Actor, requireTenantRole, requirePlatformRole } from "@/lib/auth/roles";
import { invalidateTenant } from "@/lib/protocol/published-state";
import { parseInput } from "@/lib/validation";
import { PROFILE_IDS, type ProfileId } from "@/lib/tenants/profiles";
import { STALE, versionedEdit, type EditOptions } from "@/lib/concurrency/versions";
import { createTenantSchema, updateTenantSchema, type TenantView } from "@/lib/tenants/schemas";

type TenantRow = Prisma.TenantGetPayload<object>;

export function tenantIssuer(slug: string): string {
  return `${env().publicUrl}/${slug}`;
}

export function toTenantView(t: TenantRow): TenantView {
  const issuer = tenantIssuer(t.slug);
  return {
    slug: t.slug,
    name: t.name,
    profile: (PROFILE_IDS as string[]).includes(t.profile) ? (t.profile as ProfileId) : "generic",
    issuer,
    jwksUri: `${issuer}/oauth2/v1/certs`,
    tokenEndpoint: `${issuer}/oauth2/token`,
    registrationEndpoint: `${issuer}/register`,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    jwksMaxAgeSeconds: t.jwksMaxAgeSeconds,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    version: t.version,
  };
}

const summary = (t: TenantRow) => ({ slug: t.slug, name: t.name, profile: t.profile, jwksMaxAgeSeconds: t.jwksMaxAgeSeconds, version: t.version });

/** The tenants the actor may act in (every tenant for an actor not limited to some). */
export async function listTenants(actor: Actor): Promise<TenantView[]> {
  requireRole(actor, "viewer");
  const rows = await db().tenant.findMany({ where: actor.tenants ? { slug: { in: [...actor.tenants] } } : {}, orderBy: { slug: "asc" }, take: 1000 });
  return rows.map(toTenantView);
}

/** A tenant's row by slug, or a 404 naming it. */
export async function tenantRow(slug: string) {
  const row = await db().tenant.findUnique({ where: { slug } });
  if (!row) throw notFound(`tenant "${slug}"`);
  return row;
}

export async function getTenant(actor: Actor, slug: string): Promise<TenantView> {
  requireTenantRole(actor, "viewer", slug);
  return toTenantView(await tenantRow(slug));
}

export async function createTenant(actor: Actor, input: unknown): Promise<TenantView> {
  requirePlatformRole(actor, "admin");
  const data = parseInput(createTenantSchema, input);
  const view = await db().$transaction(async (tx) => {
    if (await tx.tenant.findUnique({ where: { slug: data.slug } })) {
      throw new AppError("conflict", `a tenant with slug "${data.slug}" already exists`, [
        { path: "slug", message: "is already used by another tenant" },
      ]);
    }
    const row = await tx.tenant.create({ data });
    await recordAudit(tx, actor, { action: "tenant.create", target: { type: "tenant", id: row.slug }, tenantSlug: row.slug, after: summary(row) });
    return toTenantView(row);
  });
  invalidateTenant(view.slug);
  return view;
}

/** Edits a tenant's name or profile. The slug is fixed: it is part of the issuer every relying party knows. */
export async function updateTenant(actor: Actor, slug: string, input: unknown, options: EditOptions = {}): Promise<TenantView> {
  requireTenantRole(actor, "admin", slug);
  const data = parseInput(updateTenantSchema, input);
  const view = await versionedEdit({
    object: `tenant "${slug}"`,
    target: { type: "tenant", id: slug, tenantSlug: slug },
    expected: options.expectedVersion,
    load: () => tenantRow(slug),
    write: (before) =>
      db().$transaction(async (tx) => {
        // What it publishes (discovery, the JWKS's max-age) may change: bump the
        // publish version; the check of the tenant's version and the write are one statement.
        const { count } = await tx.tenant.updateMany({
          where: { id: before.id, version: before.version },
          data: { ...data, publishVersion: { increment: 1 }, version: { increment: 1 } },
        });
        if (count === 0) return STALE;
        const row = await tx.tenant.findUniqueOrThrow({ where: { id: before.id } });
        await recordAudit(tx, actor, { action: "tenant.update", target: { type: "tenant", id: slug }, tenantSlug: slug, before: summary(before), after: summary(row) });
        return toTenantView(row);
      }),
  });
  invalidateTenant(slug);
  return view;
}

/** Creates the `default` tenant when there is none; idempotent across restarts. */
export async function ensureDefaultTenant(actor: Actor): Promise<"created" | "exists"> {
  return db().$transaction(async (tx) => {
    if ((await tx.tenant.count()) > 0) return "exists";
    const row = await tx.tenant.create({ data: { slug: "default", name: "Default", profile: "generic" } });
    invalidateTenant(row.slug);
    await recordAudit(tx, actor, { action: "tenant.create", target: { type: "tenant", id: row.slug }, tenantSlug: row.slug, after: summary(row) });
    return "created";
  });
}
