import { db } from "@/lib/db";
import { POLL_MS } from "@/lib/protocol/poll-interval";

/**
 * What the public endpoints serve is kept in memory, per process, and rebuilt
 * only when it changed: a request never queries the database by itself.
 *
 * Changes are seen two ways. In this process, the service that made the change
 * calls {@link invalidateTenant} after its transaction commits, so the next
 * request sees it. Across instances (PostgreSQL deployments), every change bumps
 * `Tenant.publishVersion`, and each process re-reads the small tenant table at
 * most once per {@link POLL_MS}; a tenant whose version moved loses its
 * snapshots. Requests keep being answered from the current snapshots while that
 * read runs.
 *
 * State lives on `globalThis`: the custom server and Next's server bundle load
 * this module separately in one process and must share it.
 */
export { POLL_MS };
const MAX_SNAPSHOTS = 10_000;

export interface TenantInfo {
  id: string;
  slug: string;
  name: string;
  profile: string;
  jwksMaxAgeSeconds: number;
  accessTokenTtlSeconds: number;
  publishVersion: number;
}

export interface Snapshot {
  status: number;
  body: Buffer;
  etag: string;
  headers: Record<string, string>;
}

interface State {
  tenants: Map<string, TenantInfo> | null;
  loadedAt: number;
  refreshing: Promise<void> | null;
  snapshots: Map<string, Snapshot>;
  building: Map<string, Promise<Snapshot>>;
  /** bumped by every local invalidation, so a build that raced one is not kept */
  generation: number;
}

const g = globalThis as unknown as { __keywardPublished?: State };
function state(): State {
  g.__keywardPublished ??= { tenants: null, loadedAt: 0, refreshing: null, snapshots: new Map(), building: new Map(), generation: 0 };
  return g.__keywardPublished;
}

async function loadTenants(): Promise<void> {
  const s = state();
  const rows = await db().tenant.findMany({
    select: { id: true, slug: true, name: true, profile: true, jwksMaxAgeSeconds: true, accessTokenTtlSeconds: true, publishVersion: true },
  });
  const next = new Map(rows.map((r) => [r.slug, r]));
  const previous = s.tenants;
  s.tenants = next;
  s.loadedAt = Date.now();
  if (previous) {
    for (const [slug, info] of previous) {
      const now = next.get(slug);
      if (!now || now.publishVersion !== info.publishVersion || now.jwksMaxAgeSeconds !== info.jwksMaxAgeSeconds) dropSnapshots(slug);
    }
  }
}

function refresh(): Promise<void> {
  const s = state();
  s.refreshing ??= loadTenants().finally(() => {
    s.refreshing = null;
  });
  return s.refreshing;
}

/**
 * The tenant a public request names, or null. Answers from memory; the first
 * call of a process waits for the tenant table, later ones at most trigger a
 * background re-read.
 */
export async function publishedTenant(slug: string): Promise<TenantInfo | null> {
  const s = state();
  if (!s.tenants) await refresh();
  else if (Date.now() - s.loadedAt > POLL_MS) void refresh().catch(() => {});
  return s.tenants?.get(slug) ?? null;
}

function dropSnapshots(slug: string): void {
  const s = state();
  const prefix = `${slug}\u0000`;
  for (const key of s.snapshots.keys()) if (key.startsWith(prefix)) s.snapshots.delete(key);
}

/**
 * Forget what this process serves for a tenant (call after the transaction that
 * changed it commits); the next request rebuilds from the database.
 */
export function invalidateTenant(slug: string): void {
  const s = state();
  s.generation++;
  dropSnapshots(slug);
  // The tenant rows (name, max-age, version) are re-read by the next request.
  s.tenants = null;
}

/** Forget everything (tests, and a tenant created or renamed). */
export function invalidateAll(): void {
  const s = state();
  s.generation++;
  s.snapshots.clear();
  s.tenants = null;
}

/**
 * The cached snapshot when it can be served as is (tenant table fresh, snapshot
 * built): the synchronous fast path of the hot endpoints. Undefined otherwise.
 */
export function peekSnapshot(slug: string, what: string): Snapshot | undefined {
  const s = state();
  if (!s.tenants || Date.now() - s.loadedAt > POLL_MS) return undefined;
  return s.snapshots.get(`${slug}\u0000${what}`);
}

/**
 * A cached snapshot of `what` for a tenant, built once by `build` when missing;
 * concurrent misses share one build.
 */
export async function snapshot(slug: string, what: string, build: () => Promise<Snapshot>): Promise<Snapshot> {
  const s = state();
  const key = `${slug}\u0000${what}`;
  const cached = s.snapshots.get(key);
  if (cached) return cached;
  const inFlight = s.building.get(key);
  if (inFlight) return inFlight;
  const generation = s.generation;
  const promise = build()
    .then((snap) => {
      // A change that landed while we read the database makes this build stale.
      if (generation === s.generation) {
        if (s.snapshots.size >= MAX_SNAPSHOTS) s.snapshots.delete(s.snapshots.keys().next().value!);
        s.snapshots.set(key, snap);
      }
      return snap;
    })
    .finally(() => s.building.delete(key));
  s.building.set(key, promise);
  return promise;
}
