"use client";

import { changeTenantsAction } from "@/app/(console)/admin/users/actions";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { TenantScopeFields } from "@/components/auth/tenant-scope-fields";
import { errorOf } from "@/components/ui/form-errors";

/** Where a user acts: every tenant, or only some (the others then do not exist for the user). */
export function ChangeTenantsForm({
  userId,
  email,
  tenants,
  value,
  version,
}: {
  userId: string;
  email: string;
  tenants: readonly string[];
  value: readonly string[] | null;
  version: number;
}) {
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm(changeTenantsAction);
  return (
    <details className="basis-full text-xs">
      <summary className="cursor-pointer text-brand-700 underline">
        Tenants<span className="sr-only"> of {email}</span>
      </summary>
      <form ref={formRef} action={formAction} onSubmit={onSubmit} className="mt-2 space-y-2" aria-label={`Tenants of ${email}`} noValidate>
        <input type="hidden" name="id" value={userId} />
        <input type="hidden" name="version" value={version} />
        <TenantScopeFields idPrefix={`user-${userId}`} tenants={tenants} value={value} legend={`Where ${email} acts`} error={errorOf(fieldErrors, "tenants")} />
        <Button type="submit" variant="secondary" size="sm" disabled={pending}>
          {pending ? "Saving…" : "Save tenants"}
        </Button>
        <div className="whitespace-normal empty:hidden">
          <FormAlert state={state} fields={Object.keys(fieldErrors).filter((k) => k === "tenants" || k.startsWith("tenants."))} />
        </div>
      </form>
    </details>
  );
}
