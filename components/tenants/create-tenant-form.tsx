"use client";

import { createTenantAction } from "@/app/(console)/tenants/actions";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { PROFILE_OPTIONS } from "@/components/tenants/profile-options";

export function CreateTenantForm() {
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm(createTenantAction, { resetOnSuccess: true });
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-4" aria-label="New tenant">
      <TextField
        id="slug"
        label="Slug"
        required
        maxLength={63}
        autoComplete="off"
        spellCheck={false}
        hint="lowercase letters, digits, - and _; part of the issuer URL, cannot change later"
        error={fieldErrors.slug}
      />
      <TextField id="name" label="Name" required maxLength={100} autoComplete="off" error={fieldErrors.name} />
      <SelectField id="profile" label="Profile" options={PROFILE_OPTIONS} defaultValue="generic" error={fieldErrors.profile} />
      <FormAlert state={state} fields={["slug", "name", "profile"]} />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create tenant"}
      </Button>
    </form>
  );
}
