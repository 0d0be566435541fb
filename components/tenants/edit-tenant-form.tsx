"use client";

import { updateTenantAction } from "@/app/(console)/tenants/[tenant]/actions";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { PROFILE_OPTIONS } from "@/components/tenants/profile-options";
import type { TenantView } from "@/lib/tenants/schemas";

export function EditTenantForm({ tenant }: { tenant: Pick<TenantView, "slug" | "name" | "profile" | "version"> }) {
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm(updateTenantAction.bind(null, tenant.slug));
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-4" aria-label="Edit tenant">
      <input type="hidden" name="version" value={tenant.version} />
      <TextField id="name" label="Name" required maxLength={100} autoComplete="off" defaultValue={tenant.name} error={fieldErrors.name} />
      <SelectField
        id="profile"
        label="Profile"
        options={PROFILE_OPTIONS}
        defaultValue={tenant.profile}
        error={fieldErrors.profile}
        hint="Brings the ecosystem's defaults, such as the allowed signing algorithms."
      />
      <FormAlert state={state} fields={["name", "profile"]} />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save changes"}
      </Button>
    </form>
  );
}
