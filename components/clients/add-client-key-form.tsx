"use client";

import { useState } from "react";
import { addClientKeyAction, type AddedClientKeyData } from "@/app/(console)/tenants/[tenant]/clients/actions";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { PemField } from "@/components/keys/pem-field";
import { fieldMessage, placedPaths } from "@/components/keys/field-message";

type Format = "certificate" | "jwk";

const FORMATS: { value: Format; label: string }[] = [
  { value: "certificate", label: "Signing certificate (PEM)" },
  { value: "jwk", label: "Public JWK" },
];

/**
 * Adds a key to a private_key_jwt client's JWKS: the TPP's signing certificate
 * (its key goes in with kid = x5t, x5c, x5t and x5t#S256) or a public JWK.
 */
export function AddClientKeyForm({ slug, clientId }: { slug: string; clientId: string }) {
  const [format, setFormat] = useState<Format>("certificate");
  const [certificatePem, setCertificatePem] = useState("");
  const [jwk, setJwk] = useState("");
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm<AddedClientKeyData>(
    (prev, form) => addClientKeyAction(slug, clientId, prev, form),
    {
      onSuccess: () => {
        setCertificatePem("");
        setJwk("");
      },
    },
  );
  // A duplicate kid is the key's problem: say it beside the key that was given.
  const keyError = (field: string) => fieldMessage(fieldErrors, field) ?? (fieldErrors.kid ? `kid ${fieldErrors.kid}` : undefined);

  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-4" aria-label="Add a key" noValidate>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-800">What the TPP gave you</legend>
        <div className="flex flex-wrap gap-4">
          {FORMATS.map((f) => (
            <label key={f.value} className="flex items-center gap-2 text-sm">
              <input type="radio" name="format" value={f.value} checked={format === f.value} onChange={() => setFormat(f.value)} />
              {f.label}
            </label>
          ))}
        </div>
      </fieldset>
      {format === "certificate" ? (
        <PemField
          id="certificatePem"
          name="certificatePem"
          label="TPP signing certificate"
          value={certificatePem}
          onChange={setCertificatePem}
          accept=".pem,.crt,.cer"
          placeholder="-----BEGIN CERTIFICATE-----"
          hint="The certificate the TPP signs its client assertions with, as issued by its directory. Its key is added with kid = x5t."
          error={keyError("certificatePem")}
        />
      ) : (
        <PemField
          id="jwk"
          name="jwk"
          label="Public JWK"
          value={jwk}
          onChange={setJwk}
          accept=".json,.jwk"
          rows={6}
          placeholder='{"kty": "RSA", "n": "…", "e": "AQAB", "kid": "…"}'
          hint="Public members only; without a kid, its RFC 7638 thumbprint becomes the kid."
          error={keyError("jwk")}
        />
      )}
      <FormAlert state={state} fields={[...placedPaths(fieldErrors, [format === "jwk" ? "jwk" : "certificatePem"]), "kid"]} />
      <Button type="submit" disabled={pending}>
        {pending ? "Adding…" : "Add key"}
      </Button>
    </form>
  );
}
