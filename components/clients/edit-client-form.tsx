"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { updateClientAction } from "@/app/(console)/tenants/[tenant]/clients/actions";
import type { ActionResult } from "@/lib/actions/action-state";
import type { ClientView } from "@/lib/clients/schemas";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { clientHref } from "@/components/clients/client-labels";
import { ClientMetadataFields, METADATA_FIELDS } from "@/components/clients/client-metadata-fields";
import { placedPaths } from "@/components/ui/form-errors";

/**
 * Edits a client. Name and scope are the bank's; the registered metadata is
 * editable here only for a client made in the console (a DCR client's is its
 * TPP's, RFC 7592), and is checked like at creation.
 */
export function EditClientForm({ slug, client, algs }: { slug: string; client: ClientView; algs: readonly string[] }) {
  const router = useRouter();
  const back = clientHref(slug, client.clientId);
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm((prev: ActionResult, form: FormData) => updateClientAction(slug, client.clientId, prev, form), {
    onSuccess: () => router.push(back),
  });
  const editMetadata = client.registeredVia === "console";
  const fields = ["name", "scope", "tlsClientAuthSubjectDn", "jwksUri", ...METADATA_FIELDS];
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-5" aria-label="Edit client" noValidate>
      <input type="hidden" name="version" value={client.version} />
      <TextField id="name" label="Name" required maxLength={200} autoComplete="off" defaultValue={client.name} error={fieldErrors.name} />
      <TextField id="scope" label="Scope" autoComplete="off" defaultValue={client.scope} hint="Space-separated scopes the client may ask for." error={fieldErrors.scope} />
      {editMetadata ? (
        <>
          <input type="hidden" name="editMetadata" value="yes" />
          {client.tokenEndpointAuthMethod === "tls_client_auth" ? (
            <TextField
              id="tlsClientAuthSubjectDn"
              label="Subject DN of the transport certificate"
              required
              autoComplete="off"
              defaultValue={client.tlsClientAuthSubjectDn ?? ""}
              error={fieldErrors.tlsClientAuthSubjectDn}
            />
          ) : null}
          {client.jwksUri ? (
            <TextField id="jwksUri" label="jwks_uri URL" type="url" inputMode="url" autoComplete="off" defaultValue={client.jwksUri} error={fieldErrors.jwksUri} />
          ) : null}
          <ClientMetadataFields values={client} algs={algs} fieldErrors={fieldErrors} authMethod={client.tokenEndpointAuthMethod} />
        </>
      ) : (
        <p className="text-sm text-slate-700" data-testid="dcr-metadata-note">
          This client registered itself through Dynamic Client Registration: its redirect URIs, grants, algorithms and keys are its TPP&apos;s to change
          (RFC 7592). Here you rename it and set its scope; suspend it on its page.
        </p>
      )}
      <FormAlert state={state} fields={placedPaths(fieldErrors, fields)} />
      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
        <Link className="text-sm font-medium text-brand-700 underline" href={back}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
