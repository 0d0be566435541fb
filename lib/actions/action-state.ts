/**
 * What every server action answers, for `useActionState`: a message for the
 * toast, field errors to show beside their fields, and any data to display once
 * (an API token, an invite link). Client-safe: no server imports here.
 */
export type ActionResult<T = undefined> =
  | { ok: true; message: string; data?: T }
  | { ok: false; message: string; fieldErrors: Record<string, string>; stale?: StaleEdit };

/**
 * A save refused because the object changed since the form was opened
 * (optimistic concurrency): what changed, who changed it and when (ISO), when known.
 */
export interface StaleEdit {
  object: string;
  by: string | null;
  at: string;
}

/** The state of a form before its first submit. */
export const IDLE: ActionResult<never> = { ok: false, message: "", fieldErrors: {} };
