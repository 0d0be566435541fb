"use client";

import { useId } from "react";
import { activateKeyAction } from "@/app/(console)/tenants/[tenant]/keys/actions";
import type { ActionResult } from "@/lib/actions/action-state";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { formatUtc } from "@/components/rotation/durations";

/** A staged key that relying parties may not have fetched yet: when it was published and when its propagation time ends. */
export interface EarlyActivation {
  publishedAt: string;
  propagatedAt: string;
  /** "5 min", "23 h 59 min": what is left of the propagation time when the page was drawn. */
  remaining: string;
}

const INPUT =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600 aria-[invalid=true]:border-red-600";

/**
 * Activates a key behind a confirmation. When the key has not propagated yet
 * the dialog says so and offers to force the activation, which needs a reason
 * (audited, and shown on the dashboard). A refusal shows the service's words.
 */
export function ActivateKeyForm({
  slug,
  kid,
  title,
  description,
  early,
  compact = false,
}: {
  slug: string;
  kid: string;
  title: string;
  description: string;
  early: EarlyActivation | null;
  /** In a table row: the alert wraps below the button in a narrow box. */
  compact?: boolean;
}) {
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm((prev: ActionResult, form: FormData) => activateKeyAction(slug, prev, form));
  const id = useId();
  const reasonError = fieldErrors.reason;
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className={compact ? "relative space-y-2" : "space-y-2"} noValidate>
      <input type="hidden" name="kid" value={kid} />
      <ConfirmButton
        title={title}
        description={
          early ? (
            // Inside the dialog, which sits inside this form: the choice and the reason are submitted with it.
            <div className="space-y-3">
              <p>{description}</p>
              <div className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950" data-testid="activation-propagation">
                <p className="font-semibold">Relying parties may not have this key yet.</p>
                <p className="mt-1">
                  It was published at {formatUtc(early.publishedAt, { seconds: true })}; its propagation time ends at{" "}
                  {formatUtc(early.propagatedAt, { seconds: true })} (in {early.remaining}). A relying party that cached the JWKS before the key was
                  published rejects the tokens it signs until it fetches the JWKS again.
                </p>
                <p className="mt-1">Wait until then, or force the activation with a reason: a forced activation is audited and shown on the dashboard.</p>
              </div>
              <div className="flex items-start gap-2">
                <input id={`${id}-force`} name="force" type="checkbox" value="true" className="mt-0.5 h-4 w-4 rounded border-slate-400" />
                <label htmlFor={`${id}-force`} className="text-sm font-medium text-slate-800">
                  Force the activation before the propagation time ends
                </label>
              </div>
              <div className="space-y-1">
                <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-slate-800">
                  Reason for forcing (audited)
                </label>
                <input
                  id={`${id}-reason`}
                  name="reason"
                  type="text"
                  maxLength={500}
                  autoComplete="off"
                  aria-invalid={reasonError ? true : undefined}
                  aria-describedby={reasonError ? `${id}-reason-error` : undefined}
                  className={INPUT}
                />
              </div>
            </div>
          ) : (
            description
          )
        }
        confirmLabel="Activate key"
        variant="primary"
        confirmVariant="primary"
        disabled={pending}
        onConfirm={() => formRef.current?.requestSubmit()}
      >
        {pending ? "Activating…" : "Activate"}
        <span className="sr-only"> key {kid}</span>
      </ConfirmButton>
      <div className={compact ? "w-56 whitespace-normal empty:hidden" : "max-w-md empty:hidden"}>
        {reasonError ? (
          // The reason field sits in the closed dialog: say here what it needs.
          <p id={`${id}-reason-error`} role="alert" data-testid="form-alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
            Forcing the activation needs a reason: {reasonError}.
          </p>
        ) : (
          <FormAlert state={state} />
        )}
      </div>
    </form>
  );
}
