"use client";

import { useId } from "react";
import { removeKeyAction, retireKeyAction, revokeKeyAction } from "@/app/(console)/tenants/[tenant]/keys/actions";
import type { ActionResult } from "@/lib/actions/action-state";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";

export type KeyOperation = "retire" | "remove" | "revoke";

const ACTIONS: Record<KeyOperation, (slug: string, prev: ActionResult, form: FormData) => Promise<ActionResult>> = {
  retire: retireKeyAction,
  remove: removeKeyAction,
  revoke: revokeKeyAction,
};

const LABELS: Record<KeyOperation, { verb: string; pending: string }> = {
  retire: { verb: "Retire", pending: "Retiring…" },
  remove: { verb: "Remove", pending: "Removing…" },
  revoke: { verb: "Revoke", pending: "Revoking…" },
};

/**
 * One lifecycle change of a key behind a confirmation that says what will
 * happen. Revoking asks for the reason inside the dialog (it is audited).
 * Activating has its own form (activate-key-form.tsx): it may need forcing.
 */
export function KeyActionForm({
  slug,
  kid,
  operation,
  title,
  description,
  compact = false,
}: {
  slug: string;
  kid: string;
  operation: KeyOperation;
  title: string;
  description: string;
  /** In a table row: the alert wraps below the button in a narrow box. */
  compact?: boolean;
}) {
  const action = ACTIONS[operation];
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm((prev: ActionResult, form: FormData) => action(slug, prev, form));
  const reasonId = useId();
  const reasonError = operation === "revoke" ? fieldErrors.reason : undefined;
  const { verb, pending: pendingLabel } = LABELS[operation];
  const danger = operation === "remove" || operation === "revoke";
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className={compact ? "relative space-y-2" : "space-y-2"} noValidate>
      <input type="hidden" name="kid" value={kid} />
      <ConfirmButton
        title={title}
        description={
          operation === "revoke" ? (
            <div className="space-y-3">
              <p>{description}</p>
              {/* Inside the dialog, which sits inside this form: the reason is submitted with it. */}
              <div className="space-y-1">
                <label htmlFor={reasonId} className="block text-sm font-medium text-slate-800">
                  Reason (audited)
                </label>
                <input
                  id={reasonId}
                  name="reason"
                  type="text"
                  maxLength={500}
                  autoComplete="off"
                  aria-invalid={reasonError ? true : undefined}
                  aria-describedby={reasonError ? `${reasonId}-error` : undefined}
                  className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600"
                />
              </div>
            </div>
          ) : (
            description
          )
        }
        confirmLabel={`${verb} key`}
        variant={danger ? "danger" : "secondary"}
        confirmVariant={danger ? "danger" : "primary"}
        disabled={pending}
        onConfirm={() => formRef.current?.requestSubmit()}
      >
        {pending ? pendingLabel : verb}
        <span className="sr-only"> key {kid}</span>
      </ConfirmButton>
      <div className={compact ? "w-48 whitespace-normal empty:hidden" : "max-w-md empty:hidden"}>
        {reasonError ? (
          // The reason field sits in the closed dialog: say here what it needs.
          <p id={`${reasonId}-error`} role="alert" data-testid="form-alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
            Revoking needs a reason: {reasonError}.
          </p>
        ) : (
          <FormAlert state={state} />
        )}
      </div>
    </form>
  );
}
