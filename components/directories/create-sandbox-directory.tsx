"use client";

import { useRouter } from "next/navigation";
import { createSandboxDirectoryAction, type CreatedDirectoryData } from "@/app/(console)/tenants/[tenant]/directories/actions";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { directoryHref } from "@/components/directories/directory-labels";

/** One click: the tenant's sandbox directory, then its page (where test SSAs are issued). */
export function CreateSandboxDirectory({ slug, variant = "secondary" }: { slug: string; variant?: "primary" | "secondary" }) {
  const router = useRouter();
  const { state, formAction, onSubmit, pending, formRef } = useServerForm<CreatedDirectoryData>((prev, form) => createSandboxDirectoryAction(slug, prev, form), {
    onSuccess: (data) => {
      if (data) router.push(directoryHref(slug, data.id));
    },
  });
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-2" aria-label="Create the sandbox directory">
      <Button type="submit" variant={variant} disabled={pending}>
        {pending ? "Creating…" : "Create sandbox directory"}
      </Button>
      <div className="max-w-md empty:hidden">
        <FormAlert state={state} />
      </div>
    </form>
  );
}
