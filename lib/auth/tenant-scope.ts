import { z } from "zod";
import type { Tx } from "@/lib/db";
import { fieldError } from "@/lib/errors";

/**
 * Which tenants a user or an API token acts in: every tenant (null), or the
 * listed ones only. Outside them, a tenant and all it holds do not exist for
 * that actor.
 */
export const tenantScopeSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(63)
      .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a tenant slug"),
  )
  .min(1, "lists at least one tenant (null means every tenant)")
  .max(200)
  .nullable()
  .describe("null: every tenant; otherwise only these tenants (slugs), and the others do not exist for it");

export type TenantScope = string[] | null;

type ScopedRow = { allTenants: boolean; tenants: { tenant: { slug: string } }[] };

/** The stored scope as the API shows it. */
export function scopeOf(row: ScopedRow): TenantScope {
  return row.allTenants ? null : row.tenants.map((t) => t.tenant.slug).sort();
}

export const WITH_TENANTS = { tenants: { select: { tenant: { select: { slug: true } } } } } as const;

/** The tenant ids of a scope, each slug checked to exist (a field error names the one that does not). */
export async function tenantIdsOf(tx: Tx, scope: string[]): Promise<string[]> {
  const unique = [...new Set(scope)];
  const rows = await tx.tenant.findMany({ where: { slug: { in: unique } }, select: { id: true, slug: true } });
  const missing = unique.find((slug) => !rows.some((r) => r.slug === slug));
  if (missing) throw fieldError(`tenants.${scope.indexOf(missing)}`, `tenant "${missing}" does not exist`);
  return rows.map((r) => r.id);
}
