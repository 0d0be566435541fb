"use client";

import { setDisabledAction } from "@/app/(console)/admin/users/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";

/** Disable or re-enable an account, after a confirmation. */
export function ToggleDisabledForm({ userId, email, disabled, isSelf }: { userId: string; email: string; disabled: boolean; isSelf: boolean }) {
  const { state, formAction, onSubmit, pending, formRef } = useServerForm(setDisabledAction);
  const verb = disabled ? "Enable" : "Disable";
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="contents">
      <input type="hidden" name="id" value={userId} />
      <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
      <ConfirmButton
        title={`${verb} ${email}?`}
        description={
          disabled
            ? "They can sign in again with their password."
            : isSelf
              ? "This is your own account: you will be signed out and cannot sign in until another admin enables it."
              : "They are signed out at once and cannot sign in until an admin enables the account again."
        }
        confirmLabel={verb}
        confirmVariant={disabled ? "primary" : "danger"}
        disabled={pending}
        onConfirm={() => formRef.current?.requestSubmit()}
      >
        {pending ? `${verb.slice(0, -1)}ing…` : verb}
        <span className="sr-only"> {email}</span>
      </ConfirmButton>
      <div className="basis-full whitespace-normal empty:hidden">
        <FormAlert state={state} />
      </div>
    </form>
  );
}
