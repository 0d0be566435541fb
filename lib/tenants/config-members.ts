import { distance } from "fastest-levenshtein";
import type { FieldError } from "@/lib/errors";
import { exportedKeySchema, newKeyEntrySchema, tenantConfigImportSchema, tenantConfigSchema } from "@/lib/tenants/config-schema";

// Every member an export writes is accepted back (the export schema's names),
// and every member an import may add (the import schema's names).
const union = (...lists: readonly string[][]): readonly string[] => [...new Set(lists.flat())];
const TOP = union(Object.keys(tenantConfigSchema.shape), Object.keys(tenantConfigImportSchema.shape));
const TENANT = union(Object.keys(tenantConfigSchema.shape.tenant.shape), Object.keys(tenantConfigImportSchema.shape.tenant.unwrap().shape));
const SIGNING = union(Object.keys(tenantConfigSchema.shape.signing.shape), Object.keys(tenantConfigImportSchema.shape.signing.unwrap().shape));
const POLICY = Object.keys(tenantConfigSchema.shape.rotationPolicy.shape);
const EXISTING_KEY = Object.keys(exportedKeySchema.shape);
// A new key may keep the exported members it was copied from (they are ignored).
const NEW_KEY = union(Object.keys(newKeyEntrySchema.shape), EXISTING_KEY);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The known name an unknown one most likely meant: a small typo, a different case, or a part of it ("keys" for "signingKeys"). */
export function nearMiss(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { name: string; score: number } | undefined;
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    const typo = distance(lower, c);
    const shorter = Math.min(lower.length, c.length);
    // Two edits (a swapped pair of letters) from a name of four letters or more.
    const close = typo <= (shorter >= 4 ? Math.max(2, Math.floor(shorter / 3)) : 1);
    const part = lower.length >= 3 && (c.includes(lower) || lower.includes(c));
    if (!close && !part) continue;
    const score = close ? typo : 100 + Math.abs(c.length - lower.length);
    if (!best || score < best.score) best = { name: candidate, score };
  }
  return best?.name;
}

function check(value: unknown, known: readonly string[], where: string, what: string, problems: FieldError[]): void {
  if (!isObject(value)) return;
  for (const name of Object.keys(value)) {
    if (known.includes(name)) continue;
    const guess = nearMiss(name, known);
    problems.push({
      path: where ? `${where}.${name}` : name,
      message: `is not ${what}${guess ? `; did you mean "${guess}"?` : ` (known: ${known.join(", ")})`}`,
    });
  }
}

/**
 * Members of an import that the configuration format does not have, at every
 * level with a fixed shape (the key material itself, a JWK, is left to the key
 * checks). An unknown member would be silently ignored, so that an import of
 * `keys` instead of `signingKeys` would change nothing and still succeed: each
 * one is a problem naming its path, with the known name it most likely meant.
 */
export function unknownConfigMembers(input: unknown): FieldError[] {
  const problems: FieldError[] = [];
  if (!isObject(input)) return problems;
  check(input, TOP, "", "a section of the configuration", problems);
  check(input.tenant, TENANT, "tenant", "a tenant setting", problems);
  check(input.rotationPolicy, POLICY, "rotationPolicy", "a rotation policy setting", problems);
  check(input.signing, SIGNING, "signing", "a member of signing", problems);
  if (Array.isArray(input.signingKeys)) {
    input.signingKeys.forEach((entry, index) => {
      if (!isObject(entry)) return;
      const isNew = "jwk" in entry && entry.jwk !== undefined;
      check(entry, isNew ? NEW_KEY : EXISTING_KEY, `signingKeys.${index}`, isNew ? "a member of a new key" : 'a member of a key the tenant has (a new key is given in "jwk")', problems);
    });
  }
  return problems;
}
