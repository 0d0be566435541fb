"use client";

import { testClientKeysAction, type FetchedClientKeysData } from "@/app/(console)/tenants/[tenant]/clients/actions";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { Time } from "@/components/ui/page";
import { useServerForm } from "@/components/ui/use-server-form";
import { ClientKeysTable } from "@/components/clients/client-keys-table";

/** Test: fetches the client's jwks_uri now and shows the keys with their certificates' expiry, or the upstream's fault. */
export function TestClientKeys({ slug, clientId }: { slug: string; clientId: string }) {
  const { state, formAction, onSubmit, pending, formRef } = useServerForm<FetchedClientKeysData>((prev, form) => testClientKeysAction(slug, clientId, prev, form));
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-3" aria-label="Test the client's jwks_uri">
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Fetching…" : "Test jwks_uri"}
      </Button>
      <FormAlert state={state} />
      {state.ok && state.data ? (
        <div className="space-y-2" data-testid="client-keys-test-result">
          <p className="text-sm text-slate-700">
            {state.data.keys.length} {state.data.keys.length === 1 ? "key" : "keys"} fetched <Time value={state.data.fetchedAt} />.
          </p>
          <ClientKeysTable slug={slug} clientId={clientId} keys={state.data.keys} canRemove={false} now={Date.parse(state.data.fetchedAt)} />
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
