import type { Tx } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { env } from "@/lib/env";
import { providerFromUrl } from "@/lib/db/provider";
import { invalidateTenant } from "@/lib/protocol/published-state";

/**
 * The tenant row for a slug inside a transaction, or 404, locked until the
 * transaction ends: every change to a tenant's keys goes through here, so on
 * PostgreSQL concurrent changes (two instances, a rotation and the scheduler)
 * run one after the other and each sees the other's result. SQLite has one
 * writer at a time already.
 */
export async function tenantForUpdate(tx: Tx, slug: string) {
  if (providerFromUrl(env().databaseUrl) === "postgresql") {
    await tx.$queryRaw`SELECT 1 FROM "Tenant" WHERE "slug" = ${slug} FOR UPDATE`;
  }
  const tenant = await tx.tenant.findUnique({ where: { slug } });
  if (!tenant) throw notFound(`tenant "${slug}"`);
  return tenant;
}

/**
 * Records, inside the change's transaction, that what the tenant publishes
 * changed: other instances see the version move and rebuild their snapshots.
 */
export async function bumpPublishVersion(tx: Tx, tenantId: string): Promise<void> {
  await tx.tenant.update({ where: { id: tenantId }, data: { publishVersion: { increment: 1 } } });
}

/** After commit: this process serves the change from the next request on. */
export function publishNow(slug: string): void {
  invalidateTenant(slug);
}
