"use client";

import { revokeTokenAction } from "@/app/(console)/admin/tokens/actions";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";

export function RevokeTokenForm({ tokenId, name }: { tokenId: string; name: string }) {
  const { state, formAction, onSubmit, pending, formRef } = useServerForm(revokeTokenAction);
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="relative space-y-2">
      <input type="hidden" name="id" value={tokenId} />
      <ConfirmButton
        title={`Revoke token ${name}?`}
        description="Every request with it is refused from now on (401). This cannot be undone; create a new token to replace it."
        confirmLabel="Revoke token"
        disabled={pending}
        onConfirm={() => formRef.current?.requestSubmit()}
      >
        {pending ? "Revoking…" : "Revoke"}
        <span className="sr-only"> token {name}</span>
      </ConfirmButton>
      <div className="w-40 whitespace-normal empty:hidden">
        <FormAlert state={state} />
      </div>
    </form>
  );
}
