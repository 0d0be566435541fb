"use server";

import { revalidatePath } from "next/cache";
import { formObject, runAction, scopeFromForm, type ActionResult } from "@/lib/actions/action-result";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { fieldError } from "@/lib/errors";

const PAGE = "/admin/tokens";

export type CreatedTokenData = { name: string; token: string };

/** A date input's YYYY-MM-DD as the last millisecond of that day in UTC. */
function endOfDayUtc(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw fieldError("expiresAt", "must be a date (YYYY-MM-DD)");
  }
  return `${day}T23:59:59.999Z`;
}

export async function createTokenAction(_prev: ActionResult<CreatedTokenData>, form: FormData): Promise<ActionResult<CreatedTokenData>> {
  return runAction(async (actor) => {
    // The name goes in even when empty, so the schema answers "is required" rather than "expected string".
    const { expiresAt, ...rest } = formObject(form, ["role", "expiresAt"]);
    const input = { name: String(form.get("name") ?? ""), ...rest, ...(expiresAt ? { expiresAt: endOfDayUtc(expiresAt) } : {}), tenants: scopeFromForm(form) };
    const created = await createApiToken(actor, input);
    revalidatePath(PAGE);
    return { message: `Created token ${created.name}`, data: { name: created.name, token: created.token } };
  });
}

export async function revokeTokenAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return runAction(async (actor) => {
    const token = await revokeApiToken(actor, String(form.get("id") ?? ""));
    revalidatePath(PAGE);
    return { message: `Revoked token ${token.name}` };
  });
}
