import { headers } from "next/headers";
import { isAppError, type FieldError } from "@/lib/errors";
import { log } from "@/lib/log";
import { isStaleVersionError } from "@/lib/concurrency/versions";
import { requireActionActor } from "@/lib/auth/session";
import type { Actor } from "@/lib/auth/roles";

import type { ActionResult } from "@/lib/actions/action-state";
import { clientMetaFromHeaders, type RequestMeta } from "@/lib/request-meta";

export type { ActionResult };

function byField(errors: FieldError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) out[e.path] ??= e.message;
  return out;
}

/**
 * Runs the body of a server action: resolves the signed-in actor (server actions
 * can be called directly, so the session is checked here, not trusted from the
 * page) and turns domain errors into an ActionResult. Unexpected errors are
 * logged with the request id and shown as a generic message.
 */
export async function runAction<T>(
  body: (actor: Actor) => Promise<{ message: string; data?: T }>,
): Promise<ActionResult<T>> {
  let actor: Actor | undefined;
  try {
    actor = await requireActionActor();
    const { message, data } = await body(actor);
    return { ok: true, message, ...(data !== undefined ? { data } : {}) };
  } catch (error) {
    if (isStaleVersionError(error)) {
      return { ok: false, message: error.message, fieldErrors: {}, stale: { object: error.object, by: error.current.by, at: error.current.at } };
    }
    if (isAppError(error)) return { ok: false, message: error.message, fieldErrors: byField(error.fieldErrors) };
    log().error({ err: error, requestId: actor?.requestId }, "unexpected error in server action");
    return { ok: false, message: `Something went wrong (request ${actor?.requestId ?? "unknown"}).`, fieldErrors: {} };
  }
}

/**
 * The same for actions of signed-out visitors (an invite link is its own
 * credential): no actor, but the request's address and id for the audit.
 */
export async function runPublicAction<T>(body: (meta: RequestMeta) => Promise<{ message: string; data?: T }>): Promise<ActionResult<T>> {
  const h = await headers();
  const meta = clientMetaFromHeaders((name) => h.get(name));
  try {
    const { message, data } = await body(meta);
    return { ok: true, message, ...(data !== undefined ? { data } : {}) };
  } catch (error) {
    if (isAppError(error)) return { ok: false, message: error.message, fieldErrors: byField(error.fieldErrors) };
    log().error({ err: error, requestId: meta.requestId }, "unexpected error in server action");
    return { ok: false, message: `Something went wrong (request ${meta.requestId ?? "unknown"}).`, fieldErrors: {} };
  }
}

/** FormData as a plain object of strings (empty fields left out), for the zod schemas. */
/** The tenant scope of a user or token form: null (every tenant), or the tenants ticked. */
export function scopeFromForm(form: FormData): string[] | null {
  return form.get("scope") === "some" ? form.getAll("tenants").map(String) : null;
}

export function formObject(form: FormData, fields: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = form.get(f);
    if (typeof v === "string" && v.trim() !== "") out[f] = v;
  }
  return out;
}
