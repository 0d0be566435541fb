"use server";

import { revalidatePath } from "next/cache";
import { formObject, runAction, scopeFromForm, type ActionResult } from "@/lib/actions/action-result";
import { createPasswordResetLink, createUser, updateUser } from "@/lib/auth/users";
import { formVersion } from "@/lib/concurrency/versions";

const PAGE = "/admin/users";

export type CreatedUserData = { email: string; inviteUrl?: string };
export type ResetLinkData = { inviteUrl: string; expiresAt: string };

function userId(form: FormData): string {
  return String(form.get("id") ?? "");
}

export async function createUserAction(_prev: ActionResult<CreatedUserData>, form: FormData): Promise<ActionResult<CreatedUserData>> {
  return runAction(async (actor) => {
    // Required fields go in even when empty, so the schema answers with its own words
    // ("is required") rather than "expected string"; an empty password means "invite".
    const required = { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? "") };
    const user = await createUser(actor, { ...required, ...formObject(form, ["role", "password"]), tenants: scopeFromForm(form) });
    revalidatePath(PAGE);
    return {
      message: user.inviteUrl ? `Invited ${user.email}` : `Created ${user.email}`,
      data: { email: user.email, ...(user.inviteUrl ? { inviteUrl: user.inviteUrl } : {}) },
    };
  });
}

export async function changeRoleAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return runAction(async (actor) => {
    const user = await updateUser(actor, userId(form), formObject(form, ["role"]), { expectedVersion: formVersion(form.get("version")) });
    revalidatePath(PAGE);
    return { message: `${user.email} is now ${user.role}` };
  });
}

/** Sets the tenants a user acts in: every tenant, or the ones ticked. */
export async function changeTenantsAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return runAction(async (actor) => {
    const user = await updateUser(actor, userId(form), { tenants: scopeFromForm(form) }, { expectedVersion: formVersion(form.get("version")) });
    revalidatePath(PAGE);
    return { message: `${user.email} now acts in ${user.tenants === null ? "every tenant" : user.tenants.join(", ")}` };
  });
}

export async function setDisabledAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return runAction(async (actor) => {
    const disabled = form.get("disabled") === "true";
    const user = await updateUser(actor, userId(form), { disabled });
    revalidatePath(PAGE);
    return { message: `${disabled ? "Disabled" : "Enabled"} ${user.email}` };
  });
}

export async function resetLinkAction(_prev: ActionResult<ResetLinkData>, form: FormData): Promise<ActionResult<ResetLinkData>> {
  return runAction(async (actor) => {
    const link = await createPasswordResetLink(actor, userId(form));
    revalidatePath(PAGE);
    return { message: "One-time password link created", data: link };
  });
}
