import type { Tx } from "@/lib/db";

/**
 * What the services call when they change a tenant's clients or identity
 * providers, so that the token endpoint's in-memory copies of them
 * (lib/protocol/trusted-parties.ts) are dropped:
 *
 * - {@link bumpTrustVersion} inside the change's transaction: every instance
 *   sees `Tenant.trustVersion` move when it re-reads the tenant table (within
 *   POLL_MS, lib/protocol/poll-interval.ts) and forgets what it held;
 * - {@link trustChanged} after the commit: this process forgets at once, so
 *   the next request already sees the change.
 *
 * The local counters live on `globalThis`: the custom server and Next's
 * server bundle load this module separately in one process and must share it.
 */
const g = globalThis as unknown as { __keywardTrustChanges?: Map<string, number> };
const changes = (g.__keywardTrustChanges ??= new Map<string, number>());

/**
 * Records, inside the transaction that changes a client or an IdP of the
 * tenant, that what its token endpoint trusts changed. Raw SQL so that the
 * tenant's own `updatedAt` keeps meaning "the tenant's settings changed".
 */
export async function bumpTrustVersion(tx: Tx, tenantId: string): Promise<void> {
  await tx.$executeRaw`UPDATE "Tenant" SET "trustVersion" = "trustVersion" + 1 WHERE "id" = ${tenantId}`;
}

/** After the commit: this process stops using what it held for the tenant's clients and IdPs. */
export function trustChanged(slug: string): void {
  changes.set(slug, (changes.get(slug) ?? 0) + 1);
}

/** How many local changes {@link trustChanged} has recorded for a tenant (the cache compares it). */
export function localTrustChanges(slug: string): number {
  return changes.get(slug) ?? 0;
}
