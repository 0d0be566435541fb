"use client";

import Link from "next/link";
import { acceptInviteAction } from "@/app/invite/[token]/actions";
import { buttonClass, Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";

const FIELDS = ["password", "confirmPassword"];

export function AcceptInviteForm({ token, email }: { token: string; email: string }) {
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm(acceptInviteAction);
  if (state.ok) {
    return (
      <div role="status" data-testid="invite-accepted" className="space-y-4">
        <p className="rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900">
          Your password is set. Sign in with {email} and the new password.
        </p>
        <Link href="/login" className={`${buttonClass("primary")} w-full`}>
          Go to sign in
        </Link>
      </div>
    );
  }
    return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-4" aria-label="Set a password" noValidate>
      <input type="hidden" name="token" value={token} />
      {/* Lets password managers file the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <TextField
        id="password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        maxLength={256}
        hint="At least 12 characters, not containing your email's name."
        error={fieldErrors.password}
      />
      <TextField id="confirmPassword" label="Confirm password" type="password" autoComplete="new-password" required maxLength={256} error={fieldErrors.confirmPassword} />
      <FormAlert state={state} fields={FIELDS} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Saving…" : "Set password"}
      </Button>
    </form>
  );
}
