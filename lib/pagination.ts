import { z } from "zod";
import { AppError } from "@/lib/errors";

/** Cursor pagination: opaque cursors that name the last row of the previous page. */
export const pageQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ id }), "utf8").toString("base64url");
}

/** The 400 for a cursor that this list did not hand out (edited, truncated, or from another list). */
export function invalidCursor(): AppError {
  return new AppError("validation_failed", "cursor: not a cursor from a previous page", [
    { path: "cursor", message: "not a cursor from a previous page" },
  ]);
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { id?: unknown };
    if (typeof parsed.id === "string" && parsed.id.length > 0 && parsed.id.length < 100) return parsed.id;
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says whether a
 * next page exists.
 */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, map: (row: R) => T): Page<T> {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: hasMore && last ? encodeCursor(last.id) : null };
}
