"use client";

import { startTransition, useActionState, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { createIdpAction, testJwksUriAction, type KeysFoundData, type SavedIdpData } from "@/app/(console)/tenants/[tenant]/identity-providers/actions";
import { IDLE, type ActionResult } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { Field, TextField } from "@/components/ui/field";
import { FormAlert, asSentence } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { PemField } from "@/components/keys/pem-field";
import { fieldMessage, placedPaths } from "@/components/keys/field-message";
import { KeysFound } from "@/components/idps/keys-found";
import { idpHref } from "@/components/idps/idp-labels";

type KeySource = "jwks_uri" | "jwks" | "certificates";

const SOURCES: { value: KeySource; label: string; hint: string }[] = [
  { value: "jwks_uri", label: "jwks_uri", hint: "Fetched and cached; the IdP can roll its keys without anyone touching Keyward." },
  { value: "jwks", label: "Inline JWKS", hint: "Public keys pasted here; replace them when the IdP rolls its keys." },
  { value: "certificates", label: "PEM certificates", hint: "One or more certificates; their public keys verify the assertions." },
];

const FIELDS = [
  "name",
  "audience",
  "jwksUri",
  "jwks",
  "certificatePem",
  "allowedAlgs",
  "enabled",
  "maxAssertionLifetimeSeconds",
  "clockSkewSeconds",
  "refuseJtiReuse",
  "fetch",
];

/** Registers an identity provider; Test fetches a jwks_uri right away and shows what it holds. */
export function IdpForm({ slug, tokenEndpoint, algs, defaultAlgs }: { slug: string; tokenEndpoint: string; algs: readonly string[]; defaultAlgs: readonly string[] }) {
  const router = useRouter();
  const [source, setSource] = useState<KeySource>("jwks_uri");
  const [jwks, setJwks] = useState("");
  const [certificatePem, setCertificatePem] = useState("");
  const [last, setLast] = useState<"save" | "test" | null>(null);

  const { state, formAction, pending, formRef, fieldErrors } = useServerForm<SavedIdpData>((prev, form) => createIdpAction(slug, prev, form), {
    onSuccess: (data) => {
      if (data) router.push(idpHref(slug, data.id));
    },
  });
  const [testState, testAction, testing] = useActionState<ActionResult<KeysFoundData>, FormData>(testJwksUriAction, IDLE);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setLast("save");
    startTransition(() => formAction(form));
  }

  function test() {
    const form = formRef.current;
    if (!form) return;
    setLast("test");
    startTransition(() => testAction(new FormData(form)));
  }

  const errorFor = (field: string) => fieldMessage(fieldErrors, field);
  const testError = !testState.ok && testState.message ? (fieldMessage(testState.fieldErrors, "jwksUri") ?? asSentence(testState.message)) : undefined;
  const jwksUriError = last === "test" ? testError : errorFor("jwksUri");
  const placed = placedPaths(fieldErrors, FIELDS);

  return (
    <form
      ref={formRef}
      action={formAction}
      onSubmit={onSubmit}
      className="space-y-6"
      aria-label="Register an identity provider"
      noValidate
    >
      <div className="grid gap-4 md:grid-cols-2">
        <TextField
          id="name"
          label="Issuer (name)"
          required
          autoComplete="off"
          spellCheck={false}
          maxLength={500}
          placeholder="https://idp.bank.example"
          hint="The iss its JWTs carry, exactly."
          error={errorFor("name")}
        />
        <TextField
          id="audience"
          label="Audience (optional)"
          autoComplete="off"
          spellCheck={false}
          maxLength={500}
          placeholder={tokenEndpoint}
          hint="The aud its JWTs must contain. Empty: this tenant's token endpoint."
          error={errorFor("audience")}
        />
      </div>

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium text-slate-800">Key source</legend>
        <div className="flex flex-wrap gap-4">
          {SOURCES.map((s) => (
            <label key={s.value} className="flex items-center gap-2 text-sm">
              <input type="radio" name="keySource" value={s.value} checked={source === s.value} onChange={() => setSource(s.value)} />
              {s.label}
            </label>
          ))}
        </div>
        <p className="text-xs text-slate-600">{SOURCES.find((s) => s.value === source)?.hint}</p>

        <div hidden={source !== "jwks_uri"} className="space-y-3">
          <div className="flex flex-wrap items-end gap-3">
            <div className="min-w-0 flex-1">
              <TextField
                id="jwksUri"
                label="jwks_uri URL"
                type="url"
                autoComplete="off"
                spellCheck={false}
                maxLength={2000}
                placeholder="https://idp.bank.example/.well-known/jwks.json"
                error={jwksUriError}
              />
            </div>
            <Button variant="secondary" onClick={test} disabled={testing} className={jwksUriError ? "mb-5" : ""}>
              {testing ? "Testing…" : "Test"}
            </Button>
          </div>
          {testState.ok && testState.data && last === "test" ? (
            <section aria-labelledby="test-result-heading" className="space-y-2 rounded-lg border border-brand-100 bg-brand-50/40 p-3" data-testid="test-result">
              <h3 id="test-result-heading" className="text-sm font-semibold">
                {testState.data.keys.length} {testState.data.keys.length === 1 ? "key" : "keys"} found
              </h3>
              <KeysFound keys={testState.data.keys} caption="Keys found at the jwks_uri" testId="test-keys" />
              {testState.data.warnings.length > 0 ? (
                <ul className="list-disc pl-5 text-xs text-amber-900">
                  {testState.data.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              ) : null}
            </section>
          ) : null}
        </div>
        <div hidden={source !== "jwks"}>
          <PemField
            id="jwks"
            name="jwks"
            label="JWKS (JSON)"
            value={jwks}
            onChange={setJwks}
            hint='{"keys": [ … ]} with public members only; each key should carry a kid.'
            error={errorFor("jwks")}
            placeholder='{"keys":[{"kty":"EC","crv":"P-256","kid":"…","x":"…","y":"…"}]}'
            accept=".json,.jwks,.txt"
          />
        </div>
        <div hidden={source !== "certificates"}>
          <PemField
            id="certificatePem"
            name="certificatePem"
            label="Certificates (PEM)"
            value={certificatePem}
            onChange={setCertificatePem}
            hint="One or more certificates of the IdP's signing keys."
            error={errorFor("certificatePem")}
            placeholder="-----BEGIN CERTIFICATE-----"
            accept=".pem,.crt,.cer,.txt"
          />
        </div>
      </fieldset>

      <fieldset className="space-y-2" aria-describedby={errorFor("allowedAlgs") ? "allowedAlgs-error" : undefined}>
        <legend className="text-sm font-medium text-slate-800">Allowed algorithms</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-2">
          {algs.map((alg) => (
            <label key={alg} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" name="allowedAlgs" value={alg} defaultChecked={defaultAlgs.includes(alg)} />
              {alg}
            </label>
          ))}
        </div>
        {errorFor("allowedAlgs") ? (
          <p id="allowedAlgs-error" className="text-xs font-medium text-red-700">
            {errorFor("allowedAlgs")}
          </p>
        ) : null}
      </fieldset>

      <div className="grid gap-4 md:grid-cols-2">
        <TextField
          id="maxAssertionLifetimeSeconds"
          label="Max assertion lifetime (seconds)"
          type="number"
          inputMode="numeric"
          min={10}
          max={86400}
          defaultValue={3600}
          hint="The longest exp − iat accepted."
          error={errorFor("maxAssertionLifetimeSeconds")}
        />
        <TextField
          id="clockSkewSeconds"
          label="Clock skew (seconds)"
          type="number"
          inputMode="numeric"
          min={0}
          max={600}
          defaultValue={60}
          hint="Tolerance on exp, nbf and iat."
          error={errorFor("clockSkewSeconds")}
        />
      </div>

      <div className="space-y-2">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="refuseJtiReuse" defaultChecked />
          Refuse jti reuse (replay cache)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="enabled" defaultChecked />
          Enabled
        </label>
      </div>

      <details className="rounded-lg border border-slate-200 p-4" hidden={source !== "jwks_uri"}>
        <summary className="cursor-pointer text-sm font-medium text-slate-800">Fetch limits (advanced)</summary>
        <div className="mt-4 grid gap-4 md:grid-cols-3">
          <FetchLimit id="fetch.connectTimeoutMs" label="Connect timeout (ms)" defaultValue={1000} error={errorFor("fetch.connectTimeoutMs")} />
          <FetchLimit id="fetch.readTimeoutMs" label="Read timeout (ms)" defaultValue={1000} error={errorFor("fetch.readTimeoutMs")} />
          <FetchLimit id="fetch.sizeLimitBytes" label="Size limit (bytes)" defaultValue={51200} error={errorFor("fetch.sizeLimitBytes")} />
        </div>
      </details>

      <FormAlert state={state} fields={placed} />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save identity provider"}
      </Button>
    </form>
  );
}

function FetchLimit({ id, label, defaultValue, error }: { id: string; label: string; defaultValue: number; error?: string }) {
  return (
    <Field id={id} label={label} error={error}>
      {(a11y) => <input name={id} type="number" inputMode="numeric" defaultValue={defaultValue} {...a11y} />}
    </Field>
  );
}
