import type { Tx } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { invalidateTenant } from "@/lib/protocol/published-state";

/** The tenant row for a slug inside a transaction, or 404. */
export async function tenantForUpdate(tx: Tx, slug: string) {
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
