"use server";

import { runPublicAction, type ActionResult } from "@/lib/actions/action-result";
import { acceptInviteSchema } from "@/lib/auth/schemas";
import { acceptInvite } from "@/lib/auth/users";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";

/** Sets a password through a one-time link; whoever opens it is signed out, and the link is the credential. */
export async function acceptInviteAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  return runPublicAction(async (meta) => {
    const password = String(form.get("password") ?? "");
    const input = parseInput(acceptInviteSchema, { token: String(form.get("token") ?? ""), password });
    if (password !== String(form.get("confirmPassword") ?? "")) {
      throw new AppError("validation_failed", "The two passwords are not the same.", [{ path: "confirmPassword", message: "does not match the password" }]);
    }
    await acceptInvite(input.token, input.password, meta);
    return { message: "Your password is set." };
  });
}
