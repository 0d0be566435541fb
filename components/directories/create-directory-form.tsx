"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { createDirectoryAction, type CreatedDirectoryData } from "@/app/(console)/tenants/[tenant]/directories/actions";
import { Button } from "@/components/ui/button";
import { Field, SelectField, TextField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { fieldMessage, placedPaths } from "@/components/keys/field-message";
import { directoryHref, ENVIRONMENT_OPTIONS } from "@/components/directories/directory-labels";

type KeySource = "jwks_uri" | "jwks";
const FIELDS = ["name", "issuer", "environment", "jwksUri", "jwks"];

/** Adds a real directory (the trust anchor of SSAs): name, issuer, environment and where its keys are. */
export function CreateDirectoryForm({ slug }: { slug: string }) {
  const router = useRouter();
  const [keySource, setKeySource] = useState<KeySource>("jwks_uri");
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm<CreatedDirectoryData>((prev, form) => createDirectoryAction(slug, prev, form), {
    onSuccess: (data) => {
      if (data) router.push(directoryHref(slug, data.id));
    },
  });
  const error = (field: string) => fieldMessage(fieldErrors, field);
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-5" aria-label="Add a directory" noValidate>
      <TextField id="name" label="Name" required maxLength={200} autoComplete="off" hint="How the console names it, e.g. “Open Banking sandbox”." error={error("name")} />
      <TextField
        id="issuer"
        label="Issuer"
        required
        maxLength={200}
        autoComplete="off"
        hint={
          <>
            The <code className="font-mono">iss</code> of the software statements it signs, exactly, e.g. “OpenBanking Ltd”.
          </>
        }
        error={error("issuer")}
      />
      <SelectField
        id="environment"
        label="Environment"
        options={[...ENVIRONMENT_OPTIONS]}
        defaultValue="sandbox"
        hint="A software statement is checked against the directory of its own environment (software_environment or software_mode)."
        error={error("environment")}
      />
      <fieldset className="space-y-3 rounded-md border border-slate-200 p-4">
        <legend className="px-1 text-sm font-medium text-slate-800">The directory&apos;s signing keys</legend>
        <div className="flex flex-wrap gap-4">
          {(
            [
              ["jwks_uri", "Published at a URL"],
              ["jwks", "Pasted here"],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="flex items-center gap-2 text-sm">
              <input type="radio" name="keySource" value={value} checked={keySource === value} onChange={() => setKeySource(value)} />
              {label}
            </label>
          ))}
        </div>
        {keySource === "jwks_uri" ? (
          <TextField
            id="jwksUri"
            label="JWKS URL"
            type="url"
            inputMode="url"
            autoComplete="off"
            placeholder="https://keystore.openbankingtest.org.uk/keystore/openbanking.jwks"
            hint="Fetched when a software statement is checked, with the same limits and cache as identity providers; Test fetches it now."
            error={error("jwksUri")}
          />
        ) : (
          <Field id="jwks" label="Directory JWKS" hint='{"keys": [ … ]} with public keys only; a single JWK is taken as a set of one.' error={error("jwks")}>
            {(a11y) => <textarea name="jwks" rows={6} spellCheck={false} {...a11y} className={`${a11y.className} font-mono text-xs`} />}
          </Field>
        )}
      </fieldset>
      <FormAlert state={state} fields={placedPaths(fieldErrors, FIELDS)} />
      <Button type="submit" disabled={pending}>
        {pending ? "Adding…" : "Add directory"}
      </Button>
    </form>
  );
}
