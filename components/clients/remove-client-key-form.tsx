"use client";

import { removeClientKeyAction } from "@/app/(console)/tenants/[tenant]/clients/actions";
import type { ActionResult } from "@/lib/actions/action-state";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";

/** Removes one key from a client's JWKS, after a confirmation naming it. */
export function RemoveClientKeyForm({ slug, clientId, kid }: { slug: string; clientId: string; kid: string }) {
  const { state, formAction, onSubmit, pending, formRef } = useServerForm((prev: ActionResult, form: FormData) => removeClientKeyAction(slug, clientId, prev, form));
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-2" noValidate>
      <input type="hidden" name="kid" value={kid} />
      <ConfirmButton
        title="Remove this key?"
        description={
          <>
            Client assertions signed with key <span className="break-all font-mono text-xs">{kid}</span> are refused from now on. Remove a key only once
            the TPP signs with its successor.
          </>
        }
        confirmLabel="Remove key"
        variant="danger"
        disabled={pending}
        onConfirm={() => formRef.current?.requestSubmit()}
      >
        {pending ? "Removing…" : "Remove"}
        <span className="sr-only"> key {kid}</span>
      </ConfirmButton>
      <div className="w-56 whitespace-normal empty:hidden">
        <FormAlert state={state} />
      </div>
    </form>
  );
}
