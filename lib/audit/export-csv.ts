import { requireRole, type Actor } from "@/lib/auth/roles";
import { listAuditEvents } from "@/lib/audit/list-events";
import type { AuditEventView, AuditQuery } from "@/lib/audit/schemas";

const COLUMNS = ["at", "actor_type", "actor", "action", "target_type", "target_id", "tenant", "ip", "request_id", "before", "after"] as const;

/**
 * One CSV cell (RFC 4180 quoting). Cells that a spreadsheet would run as a formula
 * are prefixed with an apostrophe (CSV injection).
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditCsvRow(e: AuditEventView): string {
  return [e.at, e.actor.type, e.actor.label, e.action, e.target?.type, e.target?.id, e.tenant, e.ip, e.requestId, e.before, e.after]
    .map(csvCell)
    .join(",");
}

/**
 * The audit events matching `query` as CSV, streamed page by page so an export
 * of the whole log does not hold it in memory. At most `maxRows` rows.
 */
export async function* exportAuditCsv(
  actor: Actor,
  query: Omit<AuditQuery, "cursor" | "limit">,
  maxRows = 1_000_000,
): AsyncGenerator<string> {
  requireRole(actor, "viewer");
  yield `${COLUMNS.join(",")}\r\n`;
  let cursor: string | undefined;
  let sent = 0;
  do {
    const page = await listAuditEvents(actor, { ...query, cursor, limit: 200 });
    const rows = page.items.slice(0, maxRows - sent);
    if (rows.length > 0) yield rows.map((e) => `${auditCsvRow(e)}\r\n`).join("");
    sent += rows.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && sent < maxRows);
}
