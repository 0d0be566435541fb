import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { requireRole, type Actor } from "@/lib/auth/roles";
import { decodeCursor, toPage, type Page } from "@/lib/pagination";
import type { AuditEventView, AuditQuery } from "@/lib/audit/schemas";

type Row = Prisma.AuditEventGetPayload<object>;

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

/** Audit events, newest first, filtered, one page at a time. Viewers may read the audit log. */
export async function listAuditEvents(actor: Actor, query: AuditQuery): Promise<Page<AuditEventView>> {
  requireRole(actor, "viewer");
  const cursor = decodeCursor(query.cursor);
  const rows = await db().auditEvent.findMany({
    where: auditWhere(query),
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  return toPage(rows, query.limit, toAuditView);
}

/** The distinct actions and actors seen, for the filter menus of the audit page. */
export async function auditFacets(actor: Actor): Promise<{ actions: string[]; actors: string[] }> {
  requireRole(actor, "viewer");
  const [actions, actors] = await Promise.all([
    db().auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" }, take: 500 }),
    db().auditEvent.findMany({ distinct: ["actorLabel"], select: { actorLabel: true }, orderBy: { actorLabel: "asc" }, take: 500 }),
  ]);
  return { actions: actions.map((a) => a.action), actors: actors.map((a) => a.actorLabel) };
}
