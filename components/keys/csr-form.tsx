"use client";

import { useState } from "react";
import { createCsrAction, type CsrData } from "@/app/(console)/tenants/[tenant]/keys/actions";
import type { ActionResult } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { Field, TextField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { CopyArea } from "@/components/keys/copy-area";
import { fieldMessage, placedPaths } from "@/components/keys/field-message";

/** Creates a PKCS#10 request signed by the key, to send to the directory that issues its certificate. */
export function CsrForm({ slug, kid, downloadHref }: { slug: string; kid: string; downloadHref: string }) {
  const [csrPem, setCsrPem] = useState<string | null>(null);
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm<CsrData>(
    (prev: ActionResult<CsrData>, form: FormData) => createCsrAction(slug, prev, form),
    { onSuccess: (data) => setCsrPem(data?.csrPem ?? null) },
  );
  const placed = placedPaths(fieldErrors, ["subject", "sans"]);
  return (
    <div className="space-y-4">
      <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-4" aria-label="Certificate signing request" noValidate>
        <input type="hidden" name="kid" value={kid} />
        <TextField
          id="csr-subject"
          name="subject"
          label="Subject"
          required
          autoComplete="off"
          spellCheck={false}
          maxLength={1000}
          placeholder="CN=bank.example,O=Bank,C=GB"
          hint="Distinguished name, e.g. CN=bank.example,O=Bank,C=GB"
          error={fieldMessage(fieldErrors, "subject")}
        />
        <Field id="csr-sans" label="Subject alternative names (optional)" hint="One per line, e.g. DNS:bank.example" error={fieldMessage(fieldErrors, "sans")}>
          {(a11y) => <textarea {...a11y} name="sans" rows={3} spellCheck={false} autoComplete="off" className={`${a11y.className} font-mono text-xs`} />}
        </Field>
        <FormAlert state={state} fields={placed} />
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create CSR"}
        </Button>
      </form>
      {csrPem ? (
        <div className="space-y-2" data-testid="csr-result">
          <CopyArea id="csr-pem" label="Certificate signing request (PEM)" value={csrPem} note="Send it to your directory or CA; attach the certificate it issues below." />
          <a className="text-sm text-brand-700 underline" href={downloadHref} download>
            Download the CSR (.pem)
          </a>
        </div>
      ) : null}
    </div>
  );
}
