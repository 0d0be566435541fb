"use client";

import { useState } from "react";
import { attachCertificateAction } from "@/app/(console)/tenants/[tenant]/keys/actions";
import type { ActionResult } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { fieldMessage, placedPaths } from "@/components/keys/field-message";
import { PemField } from "@/components/keys/pem-field";

/** Attaches the certificate issued for the key (first time, or a renewal); it must match the key. */
export function AttachCertificateForm({ slug, kid, renew }: { slug: string; kid: string; renew: boolean }) {
  const [pem, setPem] = useState("");
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm(
    (prev: ActionResult, form: FormData) => attachCertificateAction(slug, prev, form),
    { onSuccess: () => setPem("") },
  );
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-4" aria-label={renew ? "Renew certificate" : "Attach certificate"} noValidate>
      <input type="hidden" name="kid" value={kid} />
      <PemField
        id="attach-certificatePem"
        name="certificatePem"
        label="Certificate (PEM)"
        value={pem}
        onChange={setPem}
        required
        hint="Paste it or drop the file here: the certificate issued for this key, with its chain in any order."
        error={fieldMessage(fieldErrors, "certificatePem")}
        rows={6}
        placeholder="-----BEGIN CERTIFICATE-----"
        accept=".pem,.crt,.cer,.txt"
      />
      <FormAlert state={state} fields={placedPaths(fieldErrors, ["certificatePem"])} />
      <Button type="submit" disabled={pending}>
        {pending ? "Attaching…" : renew ? "Attach the renewed certificate" : "Attach certificate"}
      </Button>
    </form>
  );
}
