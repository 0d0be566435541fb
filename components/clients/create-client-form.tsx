"use client";

import Link from "next/link";
import { useState } from "react";
import { createClientAction, type CreatedClientData } from "@/app/(console)/tenants/[tenant]/clients/actions";
import { Button } from "@/components/ui/button";
import { CopyBox } from "@/components/ui/copy-box";
import { Field, TextField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { AUTH_METHOD_LABEL, clientsHref } from "@/components/clients/client-labels";
import { ClientMetadataFields, METADATA_FIELDS, NEW_CLIENT_METADATA } from "@/components/clients/client-metadata-fields";
import { placedPaths } from "@/components/ui/form-errors";

const FIELDS = ["name", "tokenEndpointAuthMethod", "tlsClientAuthSubjectDn", "scope", "jwks", "jwksUri", ...METADATA_FIELDS];
type Method = keyof typeof AUTH_METHOD_LABEL;
type KeySource = "jwks" | "jwks_uri";

function ErrorText({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} className="text-xs font-medium text-red-700">
      {error}
    </p>
  ) : null;
}

/** `algs`: the signing algorithms the tenant's profile allows. */
export function CreateClientForm({ tenant, algs }: { tenant: string; algs: readonly string[] }) {
  // The secret exists in clear only in this state: the database keeps its hash.
  const [created, setCreated] = useState<CreatedClientData | null>(null);
  const [method, setMethod] = useState<Method>("client_secret_basic");
  const [keySource, setKeySource] = useState<KeySource>("jwks");
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm<CreatedClientData>(createClientAction, {
    resetOnSuccess: true,
    onSuccess: (data) => setCreated(data ?? null),
  });

  return (
    <div className="space-y-6">
      <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-5" aria-label="New client" noValidate>
        <input type="hidden" name="tenant" value={tenant} />
        <TextField id="name" label="Name" required maxLength={200} autoComplete="off" hint="Who the client is, e.g. the TPP's trading name." error={fieldErrors.name} />

        <fieldset className="space-y-1" aria-describedby={fieldErrors.tokenEndpointAuthMethod ? "method-error" : undefined}>
          <legend className="text-sm font-medium text-slate-800">Client authentication</legend>
          {(Object.keys(AUTH_METHOD_LABEL) as Method[]).map((value) => (
            <label key={value} className="flex items-center gap-2 text-sm">
              <input type="radio" name="tokenEndpointAuthMethod" value={value} checked={method === value} onChange={() => setMethod(value)} />
              {AUTH_METHOD_LABEL[value]}
            </label>
          ))}
          <ErrorText id="method-error" error={fieldErrors.tokenEndpointAuthMethod} />
        </fieldset>

        {method === "tls_client_auth" ? (
          <TextField
            id="tlsClientAuthSubjectDn"
            label="Subject DN of the transport certificate"
            required
            autoComplete="off"
            placeholder="CN=tpp.example,O=TPP Ltd,C=GB"
            hint="The TLS proxy in front of Keyward verifies the certificate and forwards it (Client-Cert); its subject must be exactly this DN."
            error={fieldErrors.tlsClientAuthSubjectDn}
          />
        ) : null}

        {method === "private_key_jwt" ? (
          <fieldset className="space-y-3 rounded-md border border-slate-200 p-4">
            <legend className="px-1 text-sm font-medium text-slate-800">The client&apos;s public keys</legend>
            <div className="flex flex-wrap gap-4">
              {(
                [
                  ["jwks", "Inline JWKS"],
                  ["jwks_uri", "jwks_uri"],
                ] as const
              ).map(([value, label]) => (
                <label key={value} className="flex items-center gap-2 text-sm">
                  <input type="radio" name="keySource" value={value} checked={keySource === value} onChange={() => setKeySource(value)} />
                  {label}
                </label>
              ))}
            </div>
            {keySource === "jwks" ? (
              <Field id="jwks" label="Client JWKS" hint='{"keys": [ … ]} with public keys only; a single JWK is taken as a set of one.' error={fieldErrors.jwks}>
                {(a11y) => <textarea name="jwks" rows={6} spellCheck={false} {...a11y} className={`${a11y.className} font-mono text-xs`} />}
              </Field>
            ) : (
              <TextField
                id="jwksUri"
                label="jwks_uri URL"
                type="url"
                inputMode="url"
                autoComplete="off"
                placeholder="https://tpp.example/jwks.json"
                hint="Fetched when the client authenticates, with the same limits and cache as identity providers."
                error={fieldErrors.jwksUri ?? fieldErrors.jwks}
              />
            )}
          </fieldset>
        ) : null}

        <ClientMetadataFields values={NEW_CLIENT_METADATA} algs={algs} fieldErrors={fieldErrors} authMethod={method} />

        <TextField
          id="scope"
          label="Scope (optional)"
          autoComplete="off"
          hint="Space-separated scopes the client may ask for, e.g. “accounts payments”."
          error={fieldErrors.scope}
        />

        <FormAlert state={state} fields={placedPaths(fieldErrors, FIELDS)} />
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create client"}
        </Button>
      </form>

      {created ? (
        <div className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4" data-testid="created-client-box">
          <p className="text-sm text-slate-900">
            Client <strong>{created.name}</strong> is ready.
            {created.clientSecret ? (
              <>
                {" "}
                It authenticates at the token endpoint with HTTP Basic: <code className="font-mono text-xs">client_id:client_secret</code>.
              </>
            ) : created.tokenEndpointAuthMethod === "tls_client_auth" ? (
              " It authenticates over mutual TLS with its transport certificate, sending its client_id (tls_client_auth)."
            ) : (
              " It authenticates with a JWT signed by one of its keys (private_key_jwt)."
            )}
          </p>
          <CopyBox id="created-client-id" label="client_id" value={created.clientId} />
          {created.clientSecret ? (
            <CopyBox
              id="created-client-secret"
              label="client_secret"
              value={created.clientSecret}
              note="This secret will not be shown again: copy it now and keep it in a secret store. Keyward keeps only a hash of it."
            />
          ) : null}
          <div className="flex flex-wrap items-center gap-4">
            <Button variant="secondary" size="sm" onClick={() => setCreated(null)}>
              {created.clientSecret ? "Done, hide the secret" : "Done"}
            </Button>
            <Link className="text-sm font-medium text-brand-700 underline" href={clientsHref(tenant)}>
              All clients of {tenant}
            </Link>
          </div>
        </div>
      ) : null}
    </div>
  );
}
