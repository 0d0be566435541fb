"use client";

import { useState } from "react";
import { pemToJwkAction, type PemToJwkData } from "@/app/(console)/tools/pem/actions";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { CertificateDetails } from "@/components/keys/certificate-details";
import { CopyArea } from "@/components/keys/copy-area";
import { fieldMessage, placedPaths } from "@/components/keys/field-message";
import { PemField } from "@/components/keys/pem-field";
import { WarningsList } from "@/components/keys/warnings-list";

const STRATEGIES = [
  { value: "x5t", label: "x5t (SHA-1 of the certificate)" },
  { value: "x5t#S256", label: "x5t#S256 (SHA-256 of the certificate)" },
  { value: "thumbprint", label: "RFC 7638 thumbprint" },
  { value: "given", label: "Given (e.g. issued by the directory)" },
];

const FIELDS = ["certificatePem", "kidStrategy", "kid", "alg"];

export function PemToJwkForm({ algs }: { algs: string[] }) {
  const [pem, setPem] = useState("");
  const [strategy, setStrategy] = useState("x5t");
  const [result, setResult] = useState<PemToJwkData | null>(null);
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm<PemToJwkData>(pemToJwkAction, {
    onSuccess: (data) => setResult(data ?? null),
  });
  const placed = placedPaths(fieldErrors, FIELDS);
  return (
    <div className="space-y-6">
      <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-4" aria-label="Convert a certificate" noValidate>
        <PemField
          id="tool-certificatePem"
          name="certificatePem"
          label="Certificate (PEM)"
          value={pem}
          onChange={setPem}
          required
          hint="Paste it or drop the file here. A chain is fine: the JWK's x5c lists it leaf first."
          error={fieldMessage(fieldErrors, "certificatePem")}
          placeholder="-----BEGIN CERTIFICATE-----"
          accept=".pem,.crt,.cer,.txt"
        />
        <div className="grid gap-4 md:grid-cols-2">
          <SelectField
            id="tool-kidStrategy"
            name="kidStrategy"
            label="kid strategy"
            options={STRATEGIES}
            value={strategy}
            onChange={(e) => setStrategy(e.target.value)}
            error={fieldMessage(fieldErrors, "kidStrategy")}
          />
          <SelectField
            id="tool-alg"
            name="alg"
            label="Algorithm (optional)"
            options={[{ value: "", label: "From the key" }, ...algs.map((a) => ({ value: a, label: a }))]}
            defaultValue=""
            error={fieldMessage(fieldErrors, "alg")}
          />
          {strategy === "given" ? (
            <TextField
              id="tool-kid"
              name="kid"
              label="kid"
              required
              autoComplete="off"
              spellCheck={false}
              maxLength={256}
              hint="The kid the directory issued (Open Finance Brazil): use it, not one made up."
              error={fieldMessage(fieldErrors, "kid")}
            />
          ) : null}
        </div>
        <FormAlert state={state} fields={placed} />
        <Button type="submit" disabled={pending}>
          {pending ? "Converting…" : "Convert to JWK"}
        </Button>
      </form>
      {result ? (
        <section aria-labelledby="tool-result-heading" className="space-y-4" data-testid="jwk-result">
          <h2 id="tool-result-heading" className="text-base font-semibold">
            Public JWK
          </h2>
          <WarningsList warnings={result.warnings} />
          <CopyArea id="tool-jwk" label="JWK (public members only)" value={JSON.stringify(result.jwk, null, 2)} />
          <CopyArea id="tool-jwks" label="As a JWK set" value={JSON.stringify({ keys: [result.jwk] }, null, 2)} rows={4} />
          <div>
            <h3 className="mb-2 text-sm font-semibold">Certificate</h3>
            <CertificateDetails certificate={result.certificate} testIdPrefix="tool" />
          </div>
        </section>
      ) : null}
    </div>
  );
}
