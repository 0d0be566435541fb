/**
 * What an audit event changed, for people: the fields whose value moved
 * between the before and after summaries, and the names of those that did not.
 * A creation has only an after, a deletion only a before; a summary that is not
 * an object (an old event, a plain value) is shown as it is.
 */
export type AuditChange =
  | { kind: "none" }
  | { kind: "value"; label: "before" | "after"; value: unknown }
  | { kind: "created" | "deleted"; fields: { field: string; value: unknown }[] }
  | { kind: "updated"; changed: { field: string; before: unknown; after: unknown }[]; unchanged: string[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const present = (v: unknown) => v !== null && v !== undefined;

/** Deep equality of JSON values (summaries come from JSON, so no cycles, dates or functions). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}

export function auditChange(before: unknown, after: unknown): AuditChange {
  if (!present(before) && !present(after)) return { kind: "none" };
  if (isRecord(before) && isRecord(after)) {
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const changed = fields.filter((f) => !sameJson(before[f], after[f])).map((field) => ({ field, before: before[field], after: after[field] }));
    return { kind: "updated", changed, unchanged: fields.filter((f) => sameJson(before[f], after[f])) };
  }
  if (!present(before) && isRecord(after)) return { kind: "created", fields: Object.entries(after).map(([field, value]) => ({ field, value })) };
  if (!present(after) && isRecord(before)) return { kind: "deleted", fields: Object.entries(before).map(([field, value]) => ({ field, value })) };
  return present(after) ? { kind: "value", label: "after", value: after } : { kind: "value", label: "before", value: before };
}

/** A value on one line: strings bare, anything else as compact JSON, absent as "—". */
export function showValue(value: unknown, max = Infinity): string {
  const text = value === undefined || value === null ? "—" : typeof value === "string" ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Fields every edit moves (the object's version): named in the headline only when nothing else changed. */
const BOOKKEEPING = new Set(["version"]);

/** The change on one short line, for the collapsed row. */
export function changeHeadline(change: AuditChange, max = 60): string {
  switch (change.kind) {
    case "none":
      return "—";
    case "value":
      return `${change.label}: ${showValue(change.value, max)}`;
    case "created":
    case "deleted":
      return showValue(`${change.kind === "created" ? "new" : "removed"}: ${change.fields.map((f) => f.field).join(", ")}`, max);
    case "updated": {
      const fields = change.changed.map((c) => c.field);
      const named = fields.some((f) => !BOOKKEEPING.has(f)) ? fields.filter((f) => !BOOKKEEPING.has(f)) : fields;
      return named.length === 0 ? "no field changed" : showValue(`changed: ${named.join(", ")}`, max);
    }
  }
}
