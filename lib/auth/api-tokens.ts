import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { AppError, fieldError, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { isRole, type Actor, requirePlatformRole } from "@/lib/auth/roles";
import { hashSecretToken, newSecretToken } from "@/lib/auth/secret-token";
import { createTokenSchema, type ApiTokenView } from "@/lib/auth/schemas";
import { parseInput } from "@/lib/validation";
import { scopeOf, tenantIdsOf, WITH_TENANTS, type TenantScope } from "@/lib/auth/tenant-scope";

type TokenRow = Prisma.ApiTokenGetPayload<{ include: typeof WITH_TENANTS }>;

export const TOKEN_PREFIX = "kw_";
// lastUsedAt is for humans ("used 3 minutes ago"): write it at most once a minute
// per token so a busy script does not turn every request into a write.
const LAST_USED_RESOLUTION_MS = 60_000;

export function toTokenView(t: TokenRow, now = new Date()): ApiTokenView {
  return {
    id: t.id,
    name: t.name,
    role: isRole(t.role) ? t.role : "viewer",
    prefix: t.prefix,
    tenants: scopeOf(t),
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    status: t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt <= now ? "expired" : "active",
  };
}

function summary(t: TokenRow) {
  const v = toTokenView(t);
  return { name: v.name, role: v.role, prefix: v.prefix, tenants: v.tenants, expiresAt: v.expiresAt, status: v.status };
}

export async function listApiTokens(actor: Actor): Promise<ApiTokenView[]> {
  requirePlatformRole(actor, "admin");
  const rows = await db().apiToken.findMany({ orderBy: { createdAt: "desc" }, take: 1000, include: WITH_TENANTS });
  const now = new Date();
  return rows.map((r) => toTokenView(r, now));
}

async function insertToken(
  tx: Tx,
  actor: Actor,
  data: { name: string; role: string; expiresAt?: Date; tenants?: TenantScope },
  token: string,
  action: string,
): Promise<TokenRow> {
  const tenantIds = data.tenants ? await tenantIdsOf(tx, data.tenants) : [];
  const row = await tx.apiToken.create({
    data: {
      name: data.name,
      role: data.role,
      tokenHash: hashSecretToken(token),
      prefix: token.slice(0, 10),
      createdById: actor.type === "user" ? (actor.id ?? null) : null,
      createdBy: actor.label,
      expiresAt: data.expiresAt ?? null,
      allTenants: !data.tenants,
      tenants: { create: tenantIds.map((tenantId) => ({ tenantId })) },
    },
    include: WITH_TENANTS,
  });
  await recordAudit(tx, actor, { action, target: { type: "api_token", id: row.id }, after: summary(row) });
  return row;
}

/** Creates an API token. The token is in this answer only; the database keeps its hash. */
export async function createApiToken(actor: Actor, input: unknown): Promise<ApiTokenView & { token: string }> {
  requirePlatformRole(actor, "admin");
  const data = parseInput(createTokenSchema, input);
  const expiresAt = data.expiresAt ? new Date(data.expiresAt) : undefined;
  if (expiresAt && expiresAt <= new Date()) throw fieldError("expiresAt", "must be in the future");
  const token = newSecretToken(TOKEN_PREFIX);
  const row = await db().$transaction((tx) => insertToken(tx, actor, { ...data, expiresAt }, token, "token.create"));
  return { ...toTokenView(row), token };
}

/**
 * Creates the bootstrap admin token from KEYWARD_BOOTSTRAP_API_TOKEN, once: only
 * when no token exists yet, so restarts (and a later revocation) are respected.
 */
export async function ensureBootstrapToken(actor: Actor, token: string): Promise<"created" | "exists"> {
  return db().$transaction(async (tx) => {
    if ((await tx.apiToken.count()) > 0) return "exists";
    await insertToken(tx, actor, { name: "bootstrap", role: "admin" }, token, "token.bootstrap");
    return "created";
  });
}

/** Revokes a token; it stops working at once. Revoking twice is harmless. */
export async function revokeApiToken(actor: Actor, id: string): Promise<ApiTokenView> {
  requirePlatformRole(actor, "admin");
  return db().$transaction(async (tx) => {
    const before = await tx.apiToken.findUnique({ where: { id }, include: WITH_TENANTS });
    if (!before) throw notFound(`API token ${id}`);
    if (before.revokedAt) return toTokenView(before);
    const row = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() }, include: WITH_TENANTS });
    await recordAudit(tx, actor, { action: "token.revoke", target: { type: "api_token", id }, before: summary(before), after: summary(row) });
    return toTokenView(row);
  });
}

/** Revokes a token by the value itself (operator CLI, when only the token is known). */
export async function revokeApiTokenByValueOrId(actor: Actor, idOrToken: string): Promise<ApiTokenView> {
  requirePlatformRole(actor, "admin");
  const byHash = await db().apiToken.findUnique({ where: { tokenHash: hashSecretToken(idOrToken) } });
  if (byHash) return revokeApiToken(actor, byHash.id);
  // Never repeat the input: it may be a live token.
  if (!(await db().apiToken.findUnique({ where: { id: idOrToken } }))) throw new AppError("not_found", "no API token matches that id or token");
  return revokeApiToken(actor, idOrToken);
}

/**
 * The actor behind a bearer token, or an error saying why not. Revoked and
 * expired tokens stop at once: nothing about tokens is cached.
 */
export async function authenticateApiToken(
  token: string,
  meta: { ip?: string; requestId?: string } = {},
): Promise<Actor> {
  if (!token.startsWith(TOKEN_PREFIX) && token.length < 32) {
    throw new AppError("unauthenticated", "the bearer token is not a Keyward API token");
  }
  const row = await db().apiToken.findUnique({
    where: { tokenHash: hashSecretToken(token) },
    include: { tenants: { select: { tenant: { select: { slug: true } } } } },
  });
  if (!row) throw new AppError("unauthenticated", "the bearer token is not valid");
  if (row.revokedAt) throw new AppError("unauthenticated", "the bearer token has been revoked");
  const now = new Date();
  if (row.expiresAt && row.expiresAt <= now) throw new AppError("unauthenticated", "the bearer token has expired");
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    type: "token",
    id: row.id,
    label: `token:${row.name}`,
    role: isRole(row.role) ? row.role : "viewer",
    ...(row.allTenants ? {} : { tenants: row.tenants.map((t) => t.tenant.slug) }),
    ...meta,
  };
}
