import { AppError, notFound } from "@/lib/errors";

export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

/** Who is acting: a signed-in user, an API token, the operator CLI, the system itself, or a client managing its own registration (DCR). */
export interface Actor {
  type: "user" | "token" | "cli" | "system" | "client";
  /** User id or API token id; undefined for system and cli. */
  id?: string;
  /** What the audit log shows: an email, "token:<name>", "cli", "system". */
  label: string;
  role: Role;
  /**
   * The tenants (slugs) this actor may act in; absent: every tenant. Any other
   * tenant, and everything in it, does not exist for this actor (404).
   */
  tenants?: readonly string[];
  ip?: string;
  requestId?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Whether `role` is at least `min`. */
export function hasRole(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/**
 * Throws 403 unless the actor has at least `min`. Every service function calls
 * this first: pages hide buttons, but the service is what refuses.
 */
export function requireRole(actor: Actor, min: Role): void {
  if (!hasRole(actor.role, min)) {
    throw new AppError("forbidden", `this needs the ${min} role; ${actor.label} is ${actor.role}`);
  }
}

/** Whether the actor may see and act in this tenant at all. */
export function canAccessTenant(actor: Actor, slug: string): boolean {
  return !actor.tenants || actor.tenants.includes(slug);
}

/**
 * Throws unless the actor has at least `min` in this tenant. A tenant outside
 * the actor's is answered as not found, exactly like one that does not exist,
 * so no id of another tenant's objects tells anything.
 */
export function requireTenantRole(actor: Actor, min: Role, slug: string): void {
  if (!canAccessTenant(actor, slug)) throw notFound(`tenant "${slug}"`);
  requireRole(actor, min);
}

/** Whether the actor has at least `min` over every tenant (for what the console offers). */
export function hasPlatformRole(actor: Actor, min: Role): boolean {
  return hasRole(actor.role, min) && !actor.tenants;
}

/**
 * Throws unless the actor has at least `min` across every tenant: users, API
 * tokens, the KEK and creating tenants are the platform's, not one tenant's.
 */
export function requirePlatformRole(actor: Actor, min: Role): void {
  requireRole(actor, min);
  if (actor.tenants) {
    throw new AppError("forbidden", `this needs the ${min} role over every tenant; ${actor.label} acts in ${actor.tenants.join(", ") || "no tenant"} only`);
  }
}

/** The actor for work the process does by itself (bootstrap, scheduler). */
export const SYSTEM_ACTOR: Actor = { type: "system", label: "system", role: "admin" };
/** The actor for the operator CLI, who has shell access to the server and its database. */
export const CLI_ACTOR: Actor = { type: "cli", label: "cli", role: "admin" };
