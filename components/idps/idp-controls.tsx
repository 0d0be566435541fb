"use client";

import { useRouter } from "next/navigation";
import { deleteIdpAction, setIdpEnabledAction } from "@/app/(console)/tenants/[tenant]/identity-providers/actions";
import type { ActionResult } from "@/lib/actions/action-state";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { idpsHref } from "@/components/idps/idp-labels";

/** Enable/disable and delete an IdP (operators). */
export function IdpControls({ slug, id, name, enabled }: { slug: string; id: string; name: string; enabled: boolean }) {
  const router = useRouter();
  const {
    state: toggleState,
    formAction: toggleAction,
    onSubmit: onToggle,
    pending: toggling,
    formRef: toggleRef,
  } = useServerForm((prev: ActionResult, form: FormData) => setIdpEnabledAction(slug, id, prev, form));
  const {
    state: removeState,
    formAction: removeAction,
    onSubmit: onRemove,
    pending: removing,
    formRef: removeRef,
  } = useServerForm((prev: ActionResult, form: FormData) => deleteIdpAction(slug, id, prev, form), {
    onSuccess: () => router.push(idpsHref(slug)),
  });
  return (
    <div className="flex flex-wrap items-start gap-3">
      <form ref={toggleRef} action={toggleAction} onSubmit={onToggle} className="space-y-2" noValidate>
        <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
        {enabled ? (
          <ConfirmButton
            title={`Disable ${name}?`}
            description="Its assertions are refused at the token endpoint until it is enabled again."
            confirmLabel="Disable"
            disabled={toggling}
            onConfirm={() => toggleRef.current?.requestSubmit()}
          >
            {toggling ? "Disabling…" : "Disable"}
          </ConfirmButton>
        ) : (
          <Button type="submit" size="sm" disabled={toggling}>
            {toggling ? "Enabling…" : "Enable"}
          </Button>
        )}
        <div className="max-w-md empty:hidden">
          <FormAlert state={toggleState} />
        </div>
      </form>
      <form ref={removeRef} action={removeAction} onSubmit={onRemove} className="space-y-2" noValidate>
        <ConfirmButton
          title={`Delete ${name}?`}
          description="Its assertions are refused at once, and its settings are gone. The audit log keeps the record. This cannot be undone."
          confirmLabel="Delete"
          variant="danger"
          disabled={removing}
          onConfirm={() => removeRef.current?.requestSubmit()}
        >
          {removing ? "Deleting…" : "Delete"}
        </ConfirmButton>
        <div className="max-w-md empty:hidden">
          <FormAlert state={removeState} />
        </div>
      </form>
    </div>
  );
}
