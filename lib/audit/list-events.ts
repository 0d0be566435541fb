import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { canAccessTenant, requireRole, type Actor } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { decodeCursor, invalidCursor, toPage, type Page } from "@/lib/pagination";
import type { AuditEventView, AuditQuery } from "@/lib/audit/schemas";

type Row = Prisma.AuditEventGetPayload<object>;

/** The list's order, newest first; id breaks ties between events of the same millisecond. */
const NEWEST_FIRST = [{ at: "desc" }, { id: "desc" }] satisfies Prisma.AuditEventOrderByWithRelationInput[];

/** At most this many values in a filter menu (and in the expansion of an action prefix). */
export const FACET_LIMIT = 500;

/**
 * An action prefix ("key.*") that expands to at most this many actions is read
 * as one index range per action, merged; a broader one is read newest first.
 */
const PREFIX_MERGE_MAX = 16;

function parseSummary(value: string | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

export function toAuditView(row: Row): AuditEventView {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: { type: row.actorType as AuditEventView["actor"]["type"], id: row.actorId, label: row.actorLabel },
    action: row.action,
    target: row.targetType && row.targetId ? { type: row.targetType, id: row.targetId } : null,
    tenant: row.tenantSlug,
    requestId: row.requestId,
    ip: row.ip,
    before: parseSummary(row.before),
    after: parseSummary(row.after),
  };
}

export function auditWhere(query: Omit<AuditQuery, "cursor" | "limit">): Prisma.AuditEventWhereInput {
  const where: Prisma.AuditEventWhereInput = {};
  if (query.tenant) where.tenantSlug = query.tenant;
  if (query.actor) where.actorLabel = query.actor;
  if (query.action) {
    where.action = query.action.endsWith(".*") ? { startsWith: query.action.slice(0, -1) } : query.action;
  }
  if (query.from || query.to) {
    where.at = { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lt: new Date(query.to) } : {}) };
  }
  return where;
}

/**
 * Where the page after a cursor starts: the events that come after the cursor's
 * event in the list's order, the row value (at, id) < (cursor.at, cursor.id).
 * Written as `at <= X AND (at < X OR id < Y)` so that both SQLite and
 * PostgreSQL read it as a range of an index ending in (at, id) (`at <= X` bounds
 * the range; the OR only drops the events of millisecond X already shown),
 * whatever filter chose the index. A deep page costs what the first one does.
 *
 * The cursor names an event by id (ids are opaque to clients); its time comes
 * from the event itself, one primary-key read. Events are never deleted, so a
 * cursor this list handed out always finds its event.
 */
async function afterCursor(cursor: string | undefined): Promise<Prisma.AuditEventWhereInput | null> {
  const id = decodeCursor(cursor);
  if (id === undefined) return null;
  const event = await db().auditEvent.findUnique({ where: { id }, select: { at: true } });
  if (!event) throw invalidCursor();
  return { at: { lte: event.at }, OR: [{ at: { lt: event.at } }, { id: { lt: id } }] };
}

/**
 * The distinct values of a column, in the index's order, at most FACET_LIMIT:
 * a loose index scan (one index seek per value, `MIN(col) WHERE col > previous`)
 * written as a recursive query that both databases run the same way. Its cost
 * grows with the number of distinct values, not with the number of events.
 */
async function distinctValues(column: "action" | "actorLabel"): Promise<string[]> {
  const rows =
    column === "action"
      ? await db().$queryRaw<{ v: string }[]>`
          WITH RECURSIVE f(v, n) AS (
            SELECT (SELECT MIN("action") FROM "AuditEvent"), 1
            UNION ALL
            SELECT (SELECT MIN("action") FROM "AuditEvent" WHERE "action" > f.v), f.n + 1 FROM f WHERE f.v IS NOT NULL AND f.n < ${FACET_LIMIT}
          )
          SELECT v FROM f WHERE v IS NOT NULL`
      : await db().$queryRaw<{ v: string }[]>`
          WITH RECURSIVE f(v, n) AS (
            SELECT (SELECT MIN("actorLabel") FROM "AuditEvent"), 1
            UNION ALL
            SELECT (SELECT MIN("actorLabel") FROM "AuditEvent" WHERE "actorLabel" > f.v), f.n + 1 FROM f WHERE f.v IS NOT NULL AND f.n < ${FACET_LIMIT}
          )
          SELECT v FROM f WHERE v IS NOT NULL`;
  return rows.map((r) => r.v);
}

/**
 * The actions an action filter stands for: one action, or the known actions
 * under a prefix ("key.*"). Null when the prefix cannot be expanded (more
 * actions than the menus hold, or too many to merge): the caller then filters
 * by prefix.
 */
async function actionsOf(action: string): Promise<string[] | null> {
  if (!action.endsWith(".*")) return [action];
  const prefix = action.slice(0, -1);
  const known = await distinctValues("action");
  if (known.length >= FACET_LIMIT) return null;
  const matching = known.filter((a) => a.startsWith(prefix));
  return matching.length <= PREFIX_MERGE_MAX ? matching : null;
}

/**
 * Audit events, newest first, filtered, one page at a time. Viewers may read the audit log.
 *
 * Every page is a range read of one index: (at, id) without filters or with a
 * time window; (tenantSlug, at, id), (actorLabel, at, id) or (action, at, id)
 * with that filter (the database picks one when several are set and checks the
 * others on the rows of that range). An action prefix reads one range per
 * action it stands for and merges them.
 */
export async function listAuditEvents(actor: Actor, query: AuditQuery): Promise<Page<AuditEventView>> {
  requireRole(actor, "viewer");
  const after = await afterCursor(query.cursor);
  const { action, ...rest } = query;
  const filters: Prisma.AuditEventWhereInput = { AND: [auditWhere(rest), visibleTo(actor, query.tenant)] };
  const take = query.limit + 1;
  const where = (extra: Prisma.AuditEventWhereInput): Prisma.AuditEventWhereInput => ({ AND: [filters, extra, ...(after ? [after] : [])] });

  const actions = action ? await actionsOf(action) : undefined;
  let rows: Row[];
  if (actions === undefined) {
    rows = await db().auditEvent.findMany({ where: where({}), orderBy: NEWEST_FIRST, take });
  } else if (actions === null) {
    rows = await db().auditEvent.findMany({ where: where(auditWhere({ action })), orderBy: NEWEST_FIRST, take });
  } else if (actions.length <= 1) {
    rows = actions[0] === undefined ? [] : await db().auditEvent.findMany({ where: where({ action: actions[0] }), orderBy: NEWEST_FIRST, take });
  } else {
    // The page's first `take` events of each action, by index only, then the
    // newest `take` of those: the same page a single ordered read would give.
    const heads = await Promise.all(
      actions.map((a) => db().auditEvent.findMany({ where: where({ action: a }), orderBy: NEWEST_FIRST, take, select: { id: true, at: true } })),
    );
    const ids = heads
      .flat()
      .sort((x, y) => y.at.getTime() - x.at.getTime() || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0))
      .slice(0, take)
      .map((r) => r.id);
    rows = ids.length === 0 ? [] : await db().auditEvent.findMany({ where: { id: { in: ids } }, orderBy: NEWEST_FIRST });
  }
  return toPage(rows, query.limit, toAuditView);
}

/**
 * The events an actor may read: all of them, or for an actor limited to some
 * tenants only those tenants' events (not the platform's: users, tokens). A
 * tenant filter outside the actor's tenants is a tenant that does not exist.
 */
function visibleTo(actor: Actor, tenantFilter: string | undefined): Prisma.AuditEventWhereInput {
  if (!actor.tenants) return {};
  if (tenantFilter !== undefined && !canAccessTenant(actor, tenantFilter)) throw notFound(`tenant "${tenantFilter}"`);
  return { tenantSlug: { in: [...actor.tenants] } };
}

/** The distinct actions and actors seen, for the filter menus of the audit page. */
export async function auditFacets(actor: Actor): Promise<{ actions: string[]; actors: string[] }> {
  requireRole(actor, "viewer");
  if (actor.tenants) {
    // Only what the actor's tenants' events hold: other tenants' actors are not its business.
    const where = visibleTo(actor, undefined);
    const [actions, actors] = await Promise.all([
      db().auditEvent.groupBy({ by: ["action"], where, orderBy: { action: "asc" }, take: FACET_LIMIT }),
      db().auditEvent.groupBy({ by: ["actorLabel"], where, orderBy: { actorLabel: "asc" }, take: FACET_LIMIT }),
    ]);
    return { actions: actions.map((r) => r.action), actors: actors.map((r) => r.actorLabel) };
  }
  const [actions, actors] = await Promise.all([distinctValues("action"), distinctValues("actorLabel")]);
  return { actions, actors };
}
