"use client";

import { testDirectoryKeysAction, type DirectoryKeysData } from "@/app/(console)/tenants/[tenant]/directories/actions";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { Time } from "@/components/ui/page";
import { useServerForm } from "@/components/ui/use-server-form";
import { DirectoryKeysTable } from "@/components/directories/directory-keys-table";

/** Test: fetches the directory's keys now; shows them, or the fault of the upstream. */
export function TestDirectoryKeys({ slug, id }: { slug: string; id: string }) {
  const { state, formAction, onSubmit, pending, formRef } = useServerForm<DirectoryKeysData>((prev, form) => testDirectoryKeysAction(slug, id, prev, form));
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-3" aria-label="Test the directory's keys">
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Fetching…" : "Test"}
      </Button>
      <FormAlert state={state} />
      {state.ok && state.data ? (
        <div className="space-y-2" data-testid="directory-test-result">
          <p className="text-sm text-slate-700">
            {state.data.keys.length} {state.data.keys.length === 1 ? "key" : "keys"} found
            {state.data.fetchedAt ? (
              <>
                {" "}
                (fetched <Time value={state.data.fetchedAt} />)
              </>
            ) : (
              " (held here)"
            )}
            .
          </p>
          <DirectoryKeysTable keys={state.data.keys} caption="Keys found now" testId="directory-tested-keys" />
        </div>
      ) : null}
    </form>
  );
}
