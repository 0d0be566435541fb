"use client";

import { testDirectoryKeysAction, type DirectoryKeysData } from "@/app/(console)/tenants/[tenant]/directories/actions";
import { Time } from "@/components/ui/page";
import { FetchKeysForm } from "@/components/jwks/fetch-keys-form";
import { DirectoryKeysTable } from "@/components/directories/directory-keys-table";

/** Test: fetches the directory's keys now; shows them, or the fault of the upstream. */
export function TestDirectoryKeys({ slug, id }: { slug: string; id: string }) {
  return (
    <FetchKeysForm<DirectoryKeysData>
      action={(prev, form) => testDirectoryKeysAction(slug, id, prev, form)}
      label="Test the directory's keys"
      submitText="Test"
      pendingText="Fetching…"
      resultTestId="directory-test-result"
      summary={(data) =>
        data.fetchedAt ? (
          <>
            found (fetched <Time value={data.fetchedAt} />)
          </>
        ) : (
          "found (held here)"
        )
      }
      table={(data) => <DirectoryKeysTable keys={data.keys} caption="Keys found now" testId="directory-tested-keys" />}
    />
  );
}
