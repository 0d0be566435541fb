"use client";

import { useRouter } from "next/navigation";
import { deleteDirectoryAction } from "@/app/(console)/tenants/[tenant]/directories/actions";
import type { ActionResult } from "@/lib/actions/action-state";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { directoriesHref } from "@/components/directories/directory-labels";

/** Deletes a directory after a confirmation naming it, then goes back to the list. */
export function DirectoryControls({ slug, id, name, issuer }: { slug: string; id: string; name: string; issuer: string }) {
  const router = useRouter();
  const { state, formAction, onSubmit, pending, formRef } = useServerForm((prev: ActionResult, form: FormData) => deleteDirectoryAction(slug, id, prev, form), {
    onSuccess: () => router.push(directoriesHref(slug)),
  });
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-2" noValidate>
      <ConfirmButton
        title={`Delete directory ${name}?`}
        description={
          <>
            Software statements issued by <span className="font-mono text-xs">{issuer}</span> are refused at the registration endpoint from now on.
            Clients it already vouched for stay registered. The audit log keeps the record.
          </>
        }
        confirmLabel="Delete directory"
        variant="danger"
        disabled={pending}
        onConfirm={() => formRef.current?.requestSubmit()}
      >
        {pending ? "Deleting…" : "Delete"}
      </ConfirmButton>
      <div className="max-w-md empty:hidden">
        <FormAlert state={state} />
      </div>
    </form>
  );
}
