import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

/**
 * Optimistic concurrency for edits. Every edited object carries a `version`
 * that each edit bumps in the same conditional update that checks it
 * (`updateMany({ where: { id, version } })`), so the check and the write are
 * one statement on SQLite and PostgreSQL alike, whichever instance runs it.
 *
 * The version an edit was prepared against comes from the caller: the
 * `If-Match` header of an API request or the hidden field of a console form.
 * Without one, the edit applies to the version just read, and a change landing
 * between that read and the write makes the edit start over from the new state
 * rather than overwrite it.
 */

/**
 * The versions an edit accepts: any of these (a list, as `If-Match` may carry
 * several entity tags; empty: none matches), or undefined for no precondition.
 */
export type ExpectedVersion = readonly number[] | undefined;

/** What an edit service takes besides its input. */
export interface EditOptions {
  expectedVersion?: ExpectedVersion;
}

/** A conditional update matched no row: someone else's edit landed first. */
export const STALE = Symbol("stale");
export type Stale = typeof STALE;

/** How many times an edit without a precondition starts over after losing a race. */
const ATTEMPTS = 3;

export function versionMatches(expected: ExpectedVersion, current: number): boolean {
  return expected === undefined || expected.includes(current);
}

/** Who made the last change, when and to which version (what the refusal tells). */
export interface LastChange {
  version: number;
  at: string;
  by: string | null;
}

/**
 * The refusal of an edit prepared against an older version of the object: 412
 * on the API, a form-level message with a reload link in the console.
 */
export class StaleVersionError extends AppError {
  constructor(
    /** What the object is, e.g. `client "kwc_…"`. */
    readonly object: string,
    readonly expected: ExpectedVersion,
    readonly current: LastChange,
  ) {
    const who = current.by ? ` by ${current.by}` : "";
    const wanted = expected && expected.length > 0 ? `; the edit was prepared against version ${expected.join(" or ")}` : "";
    super(
      "precondition_failed",
      `${object} was changed${who} at ${current.at} since it was read (it is now at version ${current.version}${wanted}); nothing was stored: read it again and reapply the edit`,
    );
  }
}

export function isStaleVersionError(error: unknown): error is StaleVersionError {
  return error instanceof StaleVersionError;
}

/**
 * Describes the object's last change from its audit trail (who and when), or
 * from its own updatedAt when no audit event names it. The audit trail is
 * readable by anyone allowed to edit the object, so this tells nothing new.
 */
export async function lastChangeOf(
  target: { type: string; id: string; tenantSlug?: string | null },
  row: { version: number; updatedAt: Date },
): Promise<LastChange> {
  const event = await db().auditEvent.findFirst({
    where: { targetType: target.type, targetId: target.id, ...(target.tenantSlug ? { tenantSlug: target.tenantSlug } : {}) },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    select: { at: true, actorLabel: true },
  });
  // Every version bump is audited in its transaction, so the target's latest
  // event is the change that moved it (updatedAt also moves for bookkeeping
  // that is no edit, such as a tenant's publish version).
  return event
    ? { version: row.version, at: event.at.toISOString(), by: event.actorLabel }
    : { version: row.version, at: row.updatedAt.toISOString(), by: null };
}

/**
 * Runs an edit under optimistic concurrency: `load` reads the object (and
 * throws not-found), `write` applies the edit in a transaction whose
 * conditional update answers STALE when the version moved. A version the
 * caller expected and no longer current is refused at once; an edit without
 * one starts over from a fresh read, a few times, before giving up.
 */
export async function versionedEdit<Row extends { version: number; updatedAt: Date }, R>(input: {
  /** What the object is, for the refusal (e.g. `client "kwc_…"`), or how to name it from its row. */
  object: string | ((row: Row) => string);
  target: { type: string; id: string; tenantSlug?: string | null };
  expected: ExpectedVersion;
  load: () => Promise<Row>;
  write: (row: Row) => Promise<R | Stale>;
}): Promise<R> {
  const name = (row: Row) => (typeof input.object === "string" ? input.object : input.object(row));
  for (let attempt = 1; ; attempt++) {
    const row = await input.load();
    if (!versionMatches(input.expected, row.version)) {
      throw new StaleVersionError(name(row), input.expected, await lastChangeOf(input.target, row));
    }
    const result = await input.write(row);
    if (result !== STALE) return result;
    if (input.expected !== undefined || attempt >= ATTEMPTS) {
      const now = await input.load();
      throw new StaleVersionError(name(now), input.expected ?? [row.version], await lastChangeOf(input.target, now));
    }
  }
}

/** The strong ETag of a version, as GET answers it and If-Match quotes it. */
export function etagOf(version: number): string {
  return `"v${version}"`;
}

// entity-tag = [ W/ ] DQUOTE *etagc DQUOTE (RFC 9110 §8.8.3); etagc excludes
// DQUOTE, controls and space.
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/**
 * Parses an If-Match field value (RFC 9110 §13.1.1): `*` (any current
 * version: no precondition beyond existence) or a list of entity tags, of
 * which only our strong `"vN"` tags can match (If-Match compares strongly, so
 * a weak tag never matches). Returns undefined for `*` or no header; throws a
 * 400 for a value that is not valid syntax.
 */
export function parseIfMatch(value: string | null | undefined): ExpectedVersion {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "*") return undefined;
  const tags = trimmed.split(",").map((t) => t.trim()).filter((t) => t.length > 0);
  const versions: number[] = [];
  for (const tag of tags) {
    const match = ENTITY_TAG.exec(tag);
    if (!match) {
      throw new AppError("validation_failed", `If-Match must be "*" or a list of quoted entity tags such as "v3" (RFC 9110 §13.1.1); got ${JSON.stringify(value.slice(0, 80))}`, [
        { path: "If-Match", message: 'must be "*" or quoted entity tags, e.g. "v3"' },
      ]);
    }
    const version = /^v([1-9]\d{0,9})$/.exec(match[2] ?? "");
    if (!match[1] && version) versions.push(Number(version[1]));
  }
  if (tags.length === 0) {
    throw new AppError("validation_failed", 'If-Match is empty; send "*" or the ETag you read, e.g. "v3"', [{ path: "If-Match", message: "is empty" }]);
  }
  return versions;
}

/** The version a console form was loaded with (its hidden field), as an expectation. */
export function formVersion(value: FormDataEntryValue | null): ExpectedVersion {
  if (typeof value !== "string" || value === "") return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? [n] : [];
}
