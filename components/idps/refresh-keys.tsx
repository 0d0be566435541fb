"use client";

import { refreshIdpKeysAction, type KeysFoundData } from "@/app/(console)/tenants/[tenant]/identity-providers/actions";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { KeysFound } from "@/components/idps/keys-found";

/** Refresh now: fetches the jwks_uri at once and shows the keys found, or the upstream's fault. */
export function RefreshKeys({ slug, id }: { slug: string; id: string }) {
  const { state, formAction, onSubmit, pending, formRef } = useServerForm<KeysFoundData>((prev, form) => refreshIdpKeysAction(slug, id, prev, form));
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-3" aria-label="Refresh the keys">
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Refreshing…" : "Refresh now"}
      </Button>
      <FormAlert state={state} />
      {state.ok && state.data ? (
        <div className="space-y-2" data-testid="refresh-result">
          <p className="text-sm text-slate-700">
            {state.data.keys.length} {state.data.keys.length === 1 ? "key" : "keys"} fetched.
          </p>
          <KeysFound keys={state.data.keys} caption="Keys fetched now" testId="refreshed-keys" />
          {state.data.warnings.length > 0 ? (
            <ul className="list-disc pl-5 text-xs text-amber-900">
              {state.data.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
