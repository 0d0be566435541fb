export type RawSearchParams = Record<string, string | string[] | undefined>;

const KEYS = ["q", "status", "authMethod", "registeredVia", "cursor", "limit"] as const;
export type ClientListKey = (typeof KEYS)[number];
export type ClientListParams = Partial<Record<ClientListKey, string>>;

/** The filters only: what a "Next page" or "First page" link keeps. */
export const FILTER_KEYS = ["q", "status", "authMethod", "registeredVia"] as const;

/** The list's search parameters as single, non-empty strings (a GET form sends "" for "any"). */
export function clientListParams(raw: RawSearchParams): ClientListParams {
  const out: ClientListParams = {};
  for (const key of KEYS) {
    const value = Array.isArray(raw[key]) ? raw[key][0] : raw[key];
    if (typeof value === "string" && value.trim() !== "") out[key] = value.trim();
  }
  return out;
}

/** Whether the list is narrowed by anything the filter form sets. */
export function isFiltered(params: ClientListParams): boolean {
  return FILTER_KEYS.some((k) => params[k] !== undefined);
}

/** The list's URL with these filters (and page size), plus `extra` (e.g. the next cursor). */
export function clientListHref(base: string, params: ClientListParams, extra: Partial<Record<"cursor", string>> = {}): string {
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) if (params[key]) search.set(key, params[key]);
  if (params.limit) search.set("limit", params.limit);
  if (extra.cursor) search.set("cursor", extra.cursor);
  const text = search.toString();
  return text ? `${base}?${text}` : base;
}
