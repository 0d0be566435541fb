import { auditQuerySchema, type AuditQuery } from "@/lib/audit/schemas";
import { toFieldErrors } from "@/lib/validation";

export type RawSearchParams = Record<string, string | string[] | undefined>;

const KEYS = ["tenant", "actor", "action", "from", "to", "cursor", "limit"] as const;
type Key = (typeof KEYS)[number];

/** The audit page's search parameters as single, non-empty strings (a GET form sends "" for "all"). */
export function auditParams(raw: RawSearchParams): Partial<Record<Key, string>> {
  const out: Partial<Record<Key, string>> = {};
  for (const key of KEYS) {
    const value = Array.isArray(raw[key]) ? raw[key][0] : raw[key];
    if (typeof value === "string" && value.trim() !== "") out[key] = value.trim();
  }
  return out;
}

const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?$/;

/**
 * A `datetime-local` value, which has no zone, read as UTC and written as ISO 8601.
 * Anything else is passed on unchanged for the schema to judge.
 */
export function localToIso(value: string): string {
  if (!LOCAL_DATETIME.test(value)) return value;
  const d = new Date(`${value}Z`);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

/** An ISO time as a UTC `datetime-local` value, to put back into the filter form. */
export function isoToLocal(value: string | undefined): string {
  if (!value) return "";
  const d = new Date(LOCAL_DATETIME.test(value) ? `${value}Z` : value);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString().slice(0, 19);
}

export type ParsedAuditParams = { ok: true; query: AuditQuery } | { ok: false; errors: string[] };

/** Parses the page's parameters with the same schema as the REST API. */
export function parseAuditParams(params: Partial<Record<Key, string>>): ParsedAuditParams {
  const input = {
    ...params,
    ...(params.from ? { from: localToIso(params.from) } : {}),
    ...(params.to ? { to: localToIso(params.to) } : {}),
  };
  const result = auditQuerySchema.safeParse(input);
  if (result.success) return { ok: true, query: result.data };
  return { ok: false, errors: toFieldErrors(result.error).map((e) => `${e.path}: ${e.message}`) };
}

/** The filters of `query` (and any extras) as a query string, for links that keep them. */
export function filterSearch(query: Omit<AuditQuery, "cursor" | "limit">, extra: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const key of ["tenant", "actor", "action", "from", "to"] as const) {
    const value = query[key];
    if (value) search.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) if (value) search.set(key, value);
  return search.toString();
}
