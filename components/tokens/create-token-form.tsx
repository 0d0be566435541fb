"use client";

import { useState } from "react";
import { createTokenAction, type CreatedTokenData } from "@/app/(console)/admin/tokens/actions";
import { Button } from "@/components/ui/button";
import { CopyBox } from "@/components/ui/copy-box";
import { SelectField, TextField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { ROLE_OPTIONS } from "@/components/auth/role-options";
import { TenantScopeFields } from "@/components/auth/tenant-scope-fields";
import { errorOf, placedPaths } from "@/components/ui/form-errors";

const FIELDS = ["name", "role", "expiresAt", "tenants"];

/** `tenants`: every tenant's slug, for the scope's checkboxes. */
export function CreateTokenForm({ tenants }: { tenants: readonly string[] }) {
  // The token exists in clear only in this state: the database keeps its hash.
  const [created, setCreated] = useState<CreatedTokenData | null>(null);
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm<CreatedTokenData>(createTokenAction, {
    resetOnSuccess: true,
    onSuccess: (data) => setCreated(data ?? null),
  });
  
  return (
    <div className="space-y-6">
      <form ref={formRef} action={formAction} onSubmit={onSubmit} className="grid gap-4 md:grid-cols-3" aria-label="New token" noValidate>
        <TextField id="name" label="Name" required maxLength={100} autoComplete="off" hint="What uses it, e.g. “deploy pipeline”" error={fieldErrors.name} />
        <SelectField id="role" label="Role" options={ROLE_OPTIONS} defaultValue="viewer" error={fieldErrors.role} />
        <TextField id="expiresAt" label="Expires on (optional)" type="date" hint="Works until the end of that day (UTC). Empty: until revoked." error={fieldErrors.expiresAt} />
        <div className="md:col-span-3">
          <TenantScopeFields idPrefix="new-token" tenants={tenants} value={null} error={errorOf(fieldErrors, "tenants")} />
        </div>
        <div className="space-y-3 md:col-span-3">
          <FormAlert state={state} fields={placedPaths(fieldErrors, FIELDS)} />
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create token"}
          </Button>
        </div>
      </form>
      {created ? (
        <div className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4" data-testid="created-token-box">
          <p className="text-sm text-slate-900">
            Token <strong>{created.name}</strong> is ready. Send it as <code className="font-mono text-xs">Authorization: Bearer &lt;token&gt;</code>.
          </p>
          <CopyBox
            id="created-token"
            label="API token"
            value={created.token}
            note="This token will not be shown again: copy it now and keep it in a secret store. Keyward keeps only a hash of it."
          />
          <Button variant="secondary" size="sm" onClick={() => setCreated(null)}>
            Done, hide the token
          </Button>
        </div>
      ) : null}
    </div>
  );
}
