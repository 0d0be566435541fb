"use client";

import { refreshIdpKeysAction, type KeysFoundData } from "@/app/(console)/tenants/[tenant]/identity-providers/actions";
import { FetchKeysForm } from "@/components/jwks/fetch-keys-form";
import { KeysFound } from "@/components/idps/keys-found";

/** Refresh now: fetches the jwks_uri at once and shows the keys found, or the upstream's fault. */
export function RefreshKeys({ slug, id }: { slug: string; id: string }) {
  return (
    <FetchKeysForm<KeysFoundData>
      action={(prev, form) => refreshIdpKeysAction(slug, id, prev, form)}
      label="Refresh the keys"
      submitText="Refresh now"
      pendingText="Refreshing…"
      resultTestId="refresh-result"
      summary={() => "fetched"}
      table={(data) => <KeysFound keys={data.keys} caption="Keys fetched now" testId="refreshed-keys" />}
    />
  );
}
