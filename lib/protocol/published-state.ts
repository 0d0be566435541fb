import { db } from "@/lib/db";
import { POLL_MS } from "@/lib/protocol/poll-interval";

/**
 * What the public endpoints serve is kept in memory, per process, and rebuilt
 * only when it changed: a request never queries the database by itself.
 *
 * Changes are seen two ways. In this process, the service that made the change
 * calls {@link invalidateTenant} after its transaction commits, so the next
 * request sees it. Across instances (PostgreSQL deployments), every change bumps
 * `Tenant.publishVersion`, and each process re-reads the small tenant table
 * while it serves; a tenant whose version moved loses its snapshots. While the
 * database answers, nothing older than {@link POLL_MS} is served (the rotation
 * slack counts on it): under traffic the table is re-read
 * in the background every half interval (requests keep being answered from
 * the current snapshots meanwhile), and the first request after a quiet spell
 * waits for the re-read instead of answering from what it knew before.
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
  /** moves with every change to the tenant's clients and IdPs (lib/protocol/trust-version.ts) */
  trustVersion: number;
}

export interface Snapshot {
  status: number;
  body: Buffer;
  etag: string;
  headers: Record<string, string>;
  /** The error code of an error answer (the metrics' outcome label), when the endpoint names one. */
  error?: string;
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
  // What the read returns is at least as new as its start.
  const startedAt = Date.now();
  const rows = await db().tenant.findMany({
    select: { id: true, slug: true, name: true, profile: true, jwksMaxAgeSeconds: true, accessTokenTtlSeconds: true, publishVersion: true, trustVersion: true },
  });
  const next = new Map(rows.map((r) => [r.slug, r]));
  const previous = s.tenants;
  s.tenants = next;
  s.loadedAt = startedAt;
  if (previous) {
    for (const [slug, info] of previous) {
      const now = next.get(slug);
      if (!now || now.publishVersion !== info.publishVersion || now.jwksMaxAgeSeconds !== info.jwksMaxAgeSeconds) {
        dropSnapshots(slug);
        // A build that read the keys before the change must not be kept.
        s.generation++;
      }
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

/** Re-reads the tenant table in the background once it is half an interval old. */
function refreshSoon(s: State): void {
  if (Date.now() - s.loadedAt > POLL_MS / 2) void refresh().catch(() => {});
}

/**
 * The tenant a public request names, or null. Answers from memory while the
 * tenant table is younger than {@link POLL_MS} (re-reading it in the
 * background past half that); an older table, or none, is re-read first.
 */
export async function publishedTenant(slug: string): Promise<TenantInfo | null> {
  const s = state();
  if (!s.tenants) await refresh();
  else if (Date.now() - s.loadedAt > POLL_MS) await refreshWithin(POLL_MS);
  else refreshSoon(s);
  return s.tenants?.get(slug) ?? null;
}

/**
 * Waits for a re-read of the tenant table, but not longer than `ms`: a
 * database that does not answer must not take the public endpoints down with
 * it; they keep serving what they knew.
 */
async function refreshWithin(ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([refresh().catch(() => {}), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
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
  refreshSoon(s);
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
