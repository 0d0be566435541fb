"use client";

import { useRouter } from "next/navigation";
import { deleteClientAction, setClientStatusAction } from "@/app/(console)/tenants/[tenant]/clients/actions";
import type { ActionResult } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { clientsHref } from "@/components/clients/client-labels";

/** Suspend or reactivate a client, and delete it (operators); both ask first when they cut the client off. */
export function ClientControls({ slug, clientId, name, status }: { slug: string; clientId: string; name: string; status: "active" | "suspended" }) {
  const router = useRouter();
  const {
    state: toggleState,
    formAction: toggleAction,
    onSubmit: onToggle,
    pending: toggling,
    formRef: toggleRef,
  } = useServerForm((prev: ActionResult, form: FormData) => setClientStatusAction(slug, clientId, prev, form));
  const {
    state: removeState,
    formAction: removeAction,
    onSubmit: onRemove,
    pending: removing,
    formRef: removeRef,
  } = useServerForm((prev: ActionResult, form: FormData) => deleteClientAction(slug, clientId, prev, form), {
    onSuccess: () => router.push(clientsHref(slug)),
  });
  const active = status === "active";
  return (
    <div className="flex flex-wrap items-start gap-3">
      <form ref={toggleRef} action={toggleAction} onSubmit={onToggle} className="space-y-2" noValidate>
        <input type="hidden" name="status" value={active ? "suspended" : "active"} />
        {active ? (
          <ConfirmButton
            title={`Suspend ${name}?`}
            description={
              <>
                The token endpoint refuses client <span className="break-all font-mono text-xs">{clientId}</span> until it is reactivated. Its keys and
                registration stay.
              </>
            }
            confirmLabel="Suspend"
            disabled={toggling}
            onConfirm={() => toggleRef.current?.requestSubmit()}
          >
            {toggling ? "Suspending…" : "Suspend"}
          </ConfirmButton>
        ) : (
          <Button type="submit" size="sm" disabled={toggling}>
            {toggling ? "Reactivating…" : "Reactivate"}
          </Button>
        )}
        <div className="max-w-md empty:hidden">
          <FormAlert state={toggleState} />
        </div>
      </form>
      <form ref={removeRef} action={removeAction} onSubmit={onRemove} className="space-y-2" noValidate>
        <ConfirmButton
          title={`Delete client ${name}?`}
          description={
            <>
              Client <span className="break-all font-mono text-xs">{clientId}</span> gets no more tokens, and its registration and keys are gone. A TPP
              registered through DCR would have to register again. The audit log keeps the record. This cannot be undone.
            </>
          }
          confirmLabel="Delete client"
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
