"use client";

import { useState } from "react";
import { createUserAction, type CreatedUserData } from "@/app/(console)/admin/users/actions";
import { Button } from "@/components/ui/button";
import { CopyBox } from "@/components/ui/copy-box";
import { SelectField, TextField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { ROLE_OPTIONS } from "@/components/auth/role-options";
import { TenantScopeFields } from "@/components/auth/tenant-scope-fields";
import { errorOf, placedPaths } from "@/components/ui/form-errors";

const FIELDS = ["email", "name", "role", "password", "tenants"];

/** `tenants`: every tenant's slug, for the scope's checkboxes. */
export function CreateUserForm({ tenants }: { tenants: readonly string[] }) {
  // The invite link lives in this component's state only: once dismissed (or the
  // page left) it cannot be shown again; the database keeps only its hash.
  const [invite, setInvite] = useState<{ email: string; url: string } | null>(null);
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm<CreatedUserData>(createUserAction, {
    resetOnSuccess: true,
    onSuccess: (data) => setInvite(data?.inviteUrl ? { email: data.email, url: data.inviteUrl } : null),
  });
  
  return (
    <div className="space-y-6">
      <form ref={formRef} action={formAction} onSubmit={onSubmit} className="grid gap-4 md:grid-cols-2" aria-label="New user" noValidate>
        <TextField id="email" label="Email" type="email" required maxLength={320} autoComplete="off" spellCheck={false} error={fieldErrors.email} />
        <TextField id="name" label="Name" required maxLength={100} autoComplete="off" error={fieldErrors.name} />
        <SelectField id="role" label="Role" options={ROLE_OPTIONS} defaultValue="viewer" error={fieldErrors.role} />
        <TextField
          id="password"
          label="Password (optional)"
          type="password"
          autoComplete="new-password"
          minLength={12}
          maxLength={256}
          hint="At least 12 characters. Leave empty to get a one-time invite link instead."
          error={fieldErrors.password}
        />
        <div className="md:col-span-2">
          <TenantScopeFields idPrefix="new-user" tenants={tenants} value={null} error={errorOf(fieldErrors, "tenants")} />
        </div>
        <div className="space-y-3 md:col-span-2">
          <FormAlert state={state} fields={placedPaths(fieldErrors, FIELDS)} />
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create user"}
          </Button>
        </div>
      </form>
      {invite ? (
        <div className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4" data-testid="invite-link-box">
          <p className="text-sm text-slate-900">
            Send this link to <strong>{invite.email}</strong> to set a password. It works once, for 7 days.
          </p>
          <CopyBox id="invite-link" label="Invite link" value={invite.url} note="Shown once: copy it now. It cannot be displayed again; create a new link from the table if it is lost." />
          <Button variant="secondary" size="sm" onClick={() => setInvite(null)}>
            Done, hide the link
          </Button>
        </div>
      ) : null}
    </div>
  );
}
