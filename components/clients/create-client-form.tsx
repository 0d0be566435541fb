"use client";

import { useState } from "react";
import { createClientAction, type CreatedClientData } from "@/app/(console)/tenants/[tenant]/clients/actions";
import { Button } from "@/components/ui/button";
import { CopyBox } from "@/components/ui/copy-box";
import { Field, TextField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";

const FIELDS = ["name", "tokenEndpointAuthMethod", "grantTypes", "scope", "jwks", "jwksUri"];
const GRANTS = [
  { value: "client_credentials", label: "client_credentials" },
  { value: "urn:ietf:params:oauth:grant-type:jwt-bearer", label: "jwt-bearer (assertions from an identity provider)" },
];

export function CreateClientForm({ tenant }: { tenant: string }) {
  // The secret exists in clear only in this state: the database keeps its hash.
  const [created, setCreated] = useState<CreatedClientData | null>(null);
  const [method, setMethod] = useState("client_secret_basic");
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm<CreatedClientData>(createClientAction, {
    resetOnSuccess: true,
    onSuccess: (data) => setCreated(data ?? null),
  });

  return (
    <div className="space-y-6">
      <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-4" aria-label="New client" noValidate>
        <input type="hidden" name="tenant" value={tenant} />
        <TextField id="name" label="Name" required maxLength={200} autoComplete="off" error={fieldErrors.name} />
        <fieldset className="space-y-1" aria-describedby={fieldErrors.tokenEndpointAuthMethod ? "method-error" : undefined}>
          <legend className="text-sm font-medium text-slate-800">Client authentication</legend>
          {[
            ["client_secret_basic", "client_secret_basic — a secret, shown once"],
            ["private_key_jwt", "private_key_jwt — the client signs with its keys"],
          ].map(([value, label]) => (
            <label key={value} className="flex items-center gap-2 text-sm">
              <input type="radio" name="tokenEndpointAuthMethod" value={value} checked={method === value} onChange={() => setMethod(value!)} />
              {label}
            </label>
          ))}
          {fieldErrors.tokenEndpointAuthMethod ? (
            <p id="method-error" className="text-xs font-medium text-red-700">
              {fieldErrors.tokenEndpointAuthMethod}
            </p>
          ) : null}
        </fieldset>
        <fieldset className="space-y-1" aria-describedby={fieldErrors.grantTypes ? "grants-error" : undefined}>
          <legend className="text-sm font-medium text-slate-800">Grant types</legend>
          {GRANTS.map((g) => (
            <label key={g.value} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="grantTypes" value={g.value} defaultChecked={g.value === "client_credentials"} />
              {g.label}
            </label>
          ))}
          {fieldErrors.grantTypes ? (
            <p id="grants-error" className="text-xs font-medium text-red-700">
              {fieldErrors.grantTypes}
            </p>
          ) : null}
        </fieldset>
        <TextField id="scope" label="Scope (optional)" hint="Space-separated scopes the client may ask for, e.g. “accounts payments”." error={fieldErrors.scope} />
        {method === "private_key_jwt" ? (
          <>
            <Field id="jwks" label="Client JWKS (public keys)" hint='{"keys":[…]} — or give a jwks_uri below.' error={fieldErrors.jwks}>
              {(a11y) => <textarea name="jwks" rows={6} {...a11y} className={`${a11y.className} font-mono text-xs`} />}
            </Field>
            <TextField id="jwksUri" label="jwks_uri (optional)" type="url" error={fieldErrors.jwksUri} />
          </>
        ) : null}
        <FormAlert state={state} fields={FIELDS} />
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create client"}
        </Button>
      </form>
      {created ? (
        <div className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4" data-testid="created-client-box">
          <CopyBox id="created-client-id" label="client_id" value={created.clientId} />
          {created.clientSecret ? (
            <CopyBox
              id="created-client-secret"
              label="client_secret"
              value={created.clientSecret}
              note="This secret will not be shown again: copy it now. Keyward keeps only a hash of it."
            />
          ) : null}
          <Button variant="secondary" size="sm" onClick={() => setCreated(null)}>
            Done, hide it
          </Button>
        </div>
      ) : null}
    </div>
  );
}
