import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { AppError, fieldError, notFound } from "@/lib/errors";
import { env } from "@/lib/env";
import { recordAudit } from "@/lib/audit/record-event";
import { isRole, type Actor, requirePlatformRole } from "@/lib/auth/roles";
import { hashPassword, passwordProblem } from "@/lib/auth/password";
import { hashSecretToken, newSecretToken } from "@/lib/auth/secret-token";
import {
  createUserSchema,
  updateUserSchema,
  type UserView,
} from "@/lib/auth/schemas";
import { parseInput } from "@/lib/validation";
import { scopeOf, tenantIdsOf, WITH_TENANTS } from "@/lib/auth/tenant-scope";
import { providerFromUrl } from "@/lib/db/provider";
import { isUniqueViolation } from "@/lib/db/errors";
import { STALE, versionedEdit, type EditOptions } from "@/lib/concurrency/versions";

type UserRow = Prisma.UserGetPayload<{ include: typeof WITH_TENANTS }>;

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

export function toUserView(u: UserRow): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: isRole(u.role) ? u.role : "viewer",
    status: u.disabledAt ? "disabled" : u.passwordHash ? "active" : "invited",
    tenants: scopeOf(u),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
    version: u.version,
  };
}

function auditSummary(u: UserRow) {
  const v = toUserView(u);
  return { email: v.email, name: v.name, role: v.role, status: v.status, tenants: v.tenants, version: v.version };
}

/** Users, oldest first. Admins only: the list holds every account's email and role. */
export async function listUsers(actor: Actor): Promise<UserView[]> {
  requirePlatformRole(actor, "admin");
  const rows = await db().user.findMany({ orderBy: { createdAt: "asc" }, take: 1000, include: WITH_TENANTS });
  return rows.map(toUserView);
}

/** A user by email (case-insensitive), or null. */
export async function findUserByEmail(actor: Actor, email: string): Promise<UserView | null> {
  requirePlatformRole(actor, "admin");
  const row = await db().user.findUnique({ where: { email: email.trim().toLowerCase() }, include: WITH_TENANTS });
  return row ? toUserView(row) : null;
}

export async function getUser(actor: Actor, id: string): Promise<UserView> {
  requirePlatformRole(actor, "admin");
  const row = await db().user.findUnique({ where: { id }, include: WITH_TENANTS });
  if (!row) throw notFound(`user ${id}`);
  return toUserView(row);
}

function inviteUrl(token: string): string {
  return `${env().publicUrl}/invite/${token}`;
}

/**
 * Creates a user. With a password, the account works at once; without one, the
 * answer carries a one-time invite link (valid 7 days) for the user to set it.
 */
export async function createUser(actor: Actor, input: unknown): Promise<UserView & { inviteUrl?: string }> {
  requirePlatformRole(actor, "admin");
  const data = parseInput(createUserSchema, input);
  if (data.password) {
    const problem = passwordProblem(data.password, data.email);
    if (problem) throw fieldError("password", problem);
  }
  const duplicate = () =>
    new AppError("conflict", `a user with email ${data.email} already exists`, [{ path: "email", message: "is already used by another user" }]);
  // Checked before the (deliberately slow) hash, and again in the transaction.
  if (await db().user.findUnique({ where: { email: data.email } })) throw duplicate();
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  const invite = data.password ? undefined : newSecretToken("inv_");
  return db()
    .$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email: data.email } })) throw duplicate();
      const tenantIds = data.tenants ? await tenantIdsOf(tx, data.tenants) : [];
      const row = await tx.user.create({
        data: {
          email: data.email,
          name: data.name,
          role: data.role,
          passwordHash,
          inviteTokenHash: invite ? hashSecretToken(invite) : null,
          inviteExpiresAt: invite ? new Date(Date.now() + INVITE_TTL_MS) : null,
          allTenants: data.tenants === null,
          tenants: { create: tenantIds.map((tenantId) => ({ tenantId })) },
        },
        include: WITH_TENANTS,
      });
      await recordAudit(tx, actor, {
        action: invite ? "user.invite" : "user.create",
        target: { type: "user", id: row.id },
        after: auditSummary(row),
      });
      return { ...toUserView(row), ...(invite ? { inviteUrl: inviteUrl(invite) } : {}) };
    })
    .catch((error: unknown) => {
      // Two requests for one email at once: the unique index decides.
      throw isUniqueViolation(error) ? duplicate() : error;
    });
}

async function activeAdminsOtherThan(tx: Tx, userId: string): Promise<number> {
  // On PostgreSQL, lock the admin rows first so two concurrent demotions
  // serialise and the second sees the first (SQLite has one writer anyway).
  if (providerFromUrl(env().databaseUrl) === "postgresql") {
    await tx.$queryRawUnsafe(`SELECT "id" FROM "User" WHERE "role" = 'admin' FOR UPDATE`);
  }
  return tx.user.count({ where: { role: "admin", allTenants: true, disabledAt: null, passwordHash: { not: null }, id: { not: userId } } });
}

/**
 * Changes a user's name, role or tenants, or disables / re-enables the
 * account. Never leaves no active admin over every tenant.
 */
export async function updateUser(actor: Actor, id: string, input: unknown, options: EditOptions = {}): Promise<UserView> {
  requirePlatformRole(actor, "admin");
  const data = parseInput(updateUserSchema, input);
  return versionedEdit({
    object: (row) => `user ${row.email}`,
    target: { type: "user", id },
    expected: options.expectedVersion,
    load: async () => {
      const row = await db().user.findUnique({ where: { id }, include: WITH_TENANTS });
      if (!row) throw notFound(`user ${id}`);
      return row;
    },
    write: (before) =>
      db().$transaction(async (tx) => {
        const losesAdmin =
          before.role === "admin" &&
          before.allTenants &&
          !before.disabledAt &&
          ((data.role !== undefined && data.role !== "admin") || data.disabled === true || (data.tenants !== undefined && data.tenants !== null));
        if (losesAdmin && (await activeAdminsOtherThan(tx, id)) === 0) {
          throw new AppError(
            "last_admin",
            `${before.email} is the last active admin; make another user admin first`,
            [
              {
                path: data.disabled ? "disabled" : data.role !== undefined && data.role !== "admin" ? "role" : "tenants",
                message: "the last active admin over every tenant cannot be demoted, disabled or limited to some tenants",
              },
            ],
          );
        }
        // The check of the version and the write are one statement: a concurrent
        // edit of the same version matches no row.
        const { count } = await tx.user.updateMany({
          where: { id, version: before.version },
          data: {
            ...(data.name !== undefined ? { name: data.name } : {}),
            ...(data.role !== undefined ? { role: data.role } : {}),
            ...(data.disabled !== undefined ? { disabledAt: data.disabled ? (before.disabledAt ?? new Date()) : null } : {}),
            ...(data.tenants !== undefined ? { allTenants: data.tenants === null } : {}),
            version: { increment: 1 },
          },
        });
        if (count === 0) return STALE;
        if (data.tenants !== undefined) {
          const tenantIds = data.tenants ? await tenantIdsOf(tx, data.tenants) : [];
          await tx.tenantMember.deleteMany({ where: { userId: id } });
          if (tenantIds.length > 0) await tx.tenantMember.createMany({ data: tenantIds.map((tenantId) => ({ userId: id, tenantId })) });
        }
        const row = await tx.user.findUniqueOrThrow({ where: { id }, include: WITH_TENANTS });
        const action =
          data.disabled === true && !before.disabledAt
            ? "user.disable"
            : data.disabled === false && before.disabledAt
              ? "user.enable"
              : data.role !== undefined && data.role !== before.role
                ? "user.change_role"
                : data.tenants !== undefined && JSON.stringify(data.tenants) !== JSON.stringify(scopeOf(before))
                  ? "user.change_tenants"
                  : "user.update";
        await recordAudit(tx, actor, { action, target: { type: "user", id }, before: auditSummary(before), after: auditSummary(row) });
        return toUserView(row);
      }),
  });
}

/**
 * Issues a new one-time link for the user to set a password (a lost password, an
 * expired invite). The current password keeps working until the link is used.
 */
export async function createPasswordResetLink(actor: Actor, id: string): Promise<{ inviteUrl: string; expiresAt: string }> {
  requirePlatformRole(actor, "admin");
  const token = newSecretToken("inv_");
  const expiresAt = new Date(Date.now() + INVITE_TTL_MS);
  await db().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id } });
    if (!user) throw notFound(`user ${id}`);
    if (user.disabledAt) throw new AppError("conflict", `${user.email} is disabled; enable the account before sending a link`);
    await tx.user.update({ where: { id }, data: { inviteTokenHash: hashSecretToken(token), inviteExpiresAt: expiresAt } });
    await recordAudit(tx, actor, { action: "user.reset_link", target: { type: "user", id }, after: { email: user.email, expiresAt } });
  });
  return { inviteUrl: inviteUrl(token), expiresAt: expiresAt.toISOString() };
}

/** Looks up a pending invite link (for the page that shows "set a password for …"). */
export async function findInvite(token: string): Promise<{ email: string; name: string } | null> {
  const row = await db().user.findUnique({ where: { inviteTokenHash: hashSecretToken(token) } });
  if (!row || !row.inviteExpiresAt || row.inviteExpiresAt < new Date() || row.disabledAt) return null;
  return { email: row.email, name: row.name };
}

/** Sets the password through a one-time link; the link then stops working and old sessions end. */
export async function acceptInvite(token: string, password: string, meta: { ip?: string; requestId?: string } = {}): Promise<void> {
  const row = await db().user.findUnique({ where: { inviteTokenHash: hashSecretToken(token) } });
  if (!row || !row.inviteExpiresAt || row.inviteExpiresAt < new Date() || row.disabledAt) {
    throw new AppError("not_found", "this link is invalid or has expired; ask an admin for a new one");
  }
  const problem = passwordProblem(password, row.email);
  if (problem) throw fieldError("password", problem);
  const passwordHash = await hashPassword(password);
  await db().$transaction(async (tx) => {
    // Re-check inside the transaction so a link is used once even under a race.
    const updated = await tx.user.updateMany({
      where: { id: row.id, inviteTokenHash: row.inviteTokenHash },
      data: { passwordHash, inviteTokenHash: null, inviteExpiresAt: null, passwordChangedAt: new Date() },
    });
    if (updated.count !== 1) throw new AppError("not_found", "this link has already been used");
    // A new password through an admin's link also ends a sign-in lockout.
    await tx.loginThrottle.deleteMany({ where: { key: `account:${row.email}` } });
    await recordAudit(
      tx,
      { type: "user", id: row.id, label: row.email, role: "viewer", ...meta },
      { action: "user.set_password", target: { type: "user", id: row.id } },
    );
  });
}

/** Sets a user's password directly (operator CLI). Ends the user's existing sessions. */
export async function setUserPassword(actor: Actor, email: string, password: string): Promise<UserView> {
  requirePlatformRole(actor, "admin");
  const normalized = email.trim().toLowerCase();
  const problem = passwordProblem(password, normalized);
  if (problem) throw fieldError("password", problem);
  const passwordHash = await hashPassword(password);
  return db().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: normalized } });
    if (!user) throw notFound(`user ${normalized}`);
    const row = await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, inviteTokenHash: null, inviteExpiresAt: null, passwordChangedAt: new Date() },
      include: WITH_TENANTS,
    });
    await recordAudit(tx, actor, { action: "user.reset_password", target: { type: "user", id: user.id }, after: { email: normalized } });
    await tx.loginThrottle.deleteMany({ where: { key: `account:${normalized}` } });
    return toUserView(row);
  });
}
