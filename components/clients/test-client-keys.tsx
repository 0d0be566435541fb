"use client";

import { testClientKeysAction, type FetchedClientKeysData } from "@/app/(console)/tenants/[tenant]/clients/actions";
import { Time } from "@/components/ui/page";
import { FetchKeysForm } from "@/components/jwks/fetch-keys-form";
import { ClientKeysTable } from "@/components/clients/client-keys-table";

/** Test: fetches the client's jwks_uri now and shows the keys with their certificates' expiry, or the upstream's fault. */
export function TestClientKeys({ slug, clientId }: { slug: string; clientId: string }) {
  return (
    <FetchKeysForm<FetchedClientKeysData>
      action={(prev, form) => testClientKeysAction(slug, clientId, prev, form)}
      label="Test the client's jwks_uri"
      submitText="Test jwks_uri"
      pendingText="Fetching…"
      resultTestId="client-keys-test-result"
      summary={(data) => (
        <>
          fetched <Time value={data.fetchedAt} />
        </>
      )}
      table={(data) => <ClientKeysTable slug={slug} clientId={clientId} keys={data.keys} canRemove={false} now={Date.parse(data.fetchedAt)} />}
    />
  );
}
