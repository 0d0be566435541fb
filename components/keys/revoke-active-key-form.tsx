"use client";

import { useId } from "react";
import { revokeKeyAction } from "@/app/(console)/tenants/[tenant]/keys/actions";
import type { ActionResult } from "@/lib/actions/action-state";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormAlert, asSentence } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { formatDuration, formatUtc } from "@/components/rotation/durations";

export interface ReplacementCandidate {
  kid: string;
  alg: string;
  createdAt: string;
  /** Whether relying parties can have fetched it already. */
  propagated: boolean;
}

const INPUT =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600 aria-[invalid=true]:border-red-600";

/**
 * Revokes the key that signs now: an emergency. The dialog says what breaks,
 * and asks which key signs instead (a staged key of the same scope, or one
 * generated on the spot) and why; both are required.
 */
export function RevokeActiveKeyForm({
  slug,
  kid,
  scope,
  candidates,
  generateAlg,
  accessTokenTtlSeconds,
  jwksMaxAgeSeconds,
}: {
  slug: string;
  kid: string;
  /** "the tenant" or "app x". */
  scope: string;
  candidates: ReplacementCandidate[];
  generateAlg: string;
  accessTokenTtlSeconds: number;
  jwksMaxAgeSeconds: number;
}) {
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm((prev: ActionResult, form: FormData) => revokeKeyAction(slug, prev, form));
  const id = useId();
  const reasonError = fieldErrors.reason;
  const replacementError = fieldErrors.replacementKid;
  const ttl = formatDuration(accessTokenTtlSeconds, { long: true });
  const maxAge = formatDuration(jwksMaxAgeSeconds, { long: true });
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-2" noValidate>
      <input type="hidden" name="kid" value={kid} />
      <ConfirmButton
        title={`Revoke the active key ${kid}?`}
        description={
          // Inside the dialog, which sits inside this form: the choice and the reason are submitted with it.
          <div className="space-y-3">
            <p>
              This key signs for {scope}. For a compromised key: it leaves the JWKS at once and its private part is destroyed. This cannot be undone.
            </p>
            <div className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950" data-testid="revoke-impact">
              <p className="font-semibold">What breaks</p>
              <p className="mt-1">
                Tokens this key signed in the last {ttl} (the access-token lifetime) stop verifying as soon as relying parties fetch the JWKS again:
                within {maxAge} (the JWKS max-age). Their clients must get new tokens.
              </p>
            </div>
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium text-slate-800">Key that signs instead</legend>
              {candidates.map((c) => (
                <div key={c.kid} className="flex items-start gap-2">
                  <input id={`${id}-r-${c.kid}`} type="radio" name="replacement" value={c.kid} className="mt-0.5 h-4 w-4 border-slate-400" />
                  <label htmlFor={`${id}-r-${c.kid}`} className="min-w-0 text-sm text-slate-800">
                    <span className="break-all font-mono text-xs">{c.kid}</span>{" "}
                    <span className="text-slate-600">
                      ({c.alg}, published {formatUtc(c.createdAt)}
                      {c.propagated ? "" : "; relying parties may not have it yet"})
                    </span>
                  </label>
                </div>
              ))}
              <div className="flex items-start gap-2">
                <input id={`${id}-r-generate`} type="radio" name="replacement" value="generate" className="mt-0.5 h-4 w-4 border-slate-400" />
                <label htmlFor={`${id}-r-generate`} className="text-sm text-slate-800">
                  Generate a new {generateAlg} key
                  <span className="block text-xs text-slate-600">Published now; relying parties reject its tokens until they fetch the JWKS again.</span>
                </label>
              </div>
              <p className="text-xs text-slate-600">The replacement signs at once; its activation is recorded as forced, with the reason below.</p>
            </fieldset>
            <div className="space-y-1">
              <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-slate-800">
                Reason (audited)
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
        }
        confirmLabel="Revoke and replace"
        variant="danger"
        confirmVariant="danger"
        disabled={pending}
        onConfirm={() => formRef.current?.requestSubmit()}
      >
        {pending ? "Revoking…" : "Revoke"}
        <span className="sr-only"> key {kid}</span>
      </ConfirmButton>
      <div className="max-w-md empty:hidden">
        {reasonError ? (
          // The fields sit in the closed dialog: say here what they need.
          <p id={`${id}-reason-error`} role="alert" data-testid="form-alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
            Revoking needs a reason: {reasonError}.
          </p>
        ) : replacementError ? (
          <p role="alert" data-testid="form-alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
            Choose the key that signs instead: {asSentence(replacementError)}
          </p>
        ) : (
          <FormAlert state={state} />
        )}
      </div>
    </form>
  );
}
