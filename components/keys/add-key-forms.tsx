"use client";

import { startTransition, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useRouter } from "next/navigation";
import { addKeyAction, previewKeyAction, type PreviewData, type SavedKeyData } from "@/app/(console)/tenants/[tenant]/keys/actions";
import { IDLE, type ActionResult } from "@/lib/actions/action-state";
import type { KeyPreview } from "@/lib/keys/schemas";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { KeyPreviewView } from "@/components/keys/key-preview";
import { PemField } from "@/components/keys/pem-field";
import { fieldMessage, placedPaths } from "@/components/keys/field-message";
import { keyHref } from "@/components/keys/key-labels";

type Source = "pem" | "jwk" | "generate";
type KeyFormData = PreviewData | SavedKeyData;

const TABS: { source: Source; label: string }[] = [
  { source: "pem", label: "Upload PEM" },
  { source: "jwk", label: "Paste JWK" },
  { source: "generate", label: "Generate" },
];

const KID_STRATEGIES = [
  { value: "", label: "Default" },
  { value: "thumbprint", label: "RFC 7638 thumbprint" },
  { value: "x5t", label: "x5t (SHA-1 of the certificate)" },
  { value: "x5t#S256", label: "x5t#S256 (SHA-256 of the certificate)" },
  { value: "given", label: "Given (the kid field below)" },
];

/** The three ways to add a key, as accessible tabs; each keeps what was typed while another is shown. */
export function AddKeyForms({ slug, algs }: { slug: string; algs: string[] }) {
  const [tab, setTab] = useState<Source>("pem");
  const tabRefs = useRef<Record<Source, HTMLButtonElement | null>>({ pem: null, jwk: null, generate: null });

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = TABS.findIndex((t) => t.source === tab);
    const next =
      event.key === "ArrowRight" ? (index + 1) % TABS.length
      : event.key === "ArrowLeft" ? (index - 1 + TABS.length) % TABS.length
      : event.key === "Home" ? 0
      : event.key === "End" ? TABS.length - 1
      : null;
    if (next === null) return;
    event.preventDefault();
    const source = TABS[next]!.source;
    setTab(source);
    tabRefs.current[source]?.focus();
  }

  return (
    <div>
      <div role="tablist" aria-label="How to add the key" className="mb-4 flex gap-1 border-b border-slate-200" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.source}
            ref={(el) => {
              tabRefs.current[t.source] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t.source}`}
            aria-controls={`panel-${t.source}`}
            aria-selected={tab === t.source}
            tabIndex={tab === t.source ? 0 : -1}
            onClick={() => setTab(t.source)}
            className={`-mb-px rounded-t-md border px-4 py-2 text-sm font-medium ${
              tab === t.source ? "border-slate-200 border-b-white bg-white text-brand-800" : "border-transparent text-slate-700 hover:bg-slate-100"
            }`}
          >
            {t.label}
          </button>
        ))}
      </div>
      {TABS.map((t) => (
        <div key={t.source} role="tabpanel" id={`panel-${t.source}`} aria-labelledby={`tab-${t.source}`} hidden={tab !== t.source}>
          <KeyForm source={t.source} slug={slug} algs={algs} label={t.label} />
        </div>
      ))}
    </div>
  );
}

function KeyForm({ source, slug, algs, label }: { source: Source; slug: string; algs: string[]; label: string }) {
  const router = useRouter();
  const [preview, setPreview] = useState<KeyPreview | null>(null);
  const [stale, setStale] = useState(false);
  const [intent, setIntent] = useState<"preview" | "save">("preview");
  const [certificatePem, setCertificatePem] = useState("");
  const [privateKeyPem, setPrivateKeyPem] = useState("");
  const [jwk, setJwk] = useState("");

  const { state, formAction, pending, formRef, fieldErrors } = useServerForm<KeyFormData>(
    // Each button runs its own action (and so its own service); neither needs the previous state.
    (_prev: ActionResult<KeyFormData>, form: FormData) =>
      form.get("intent") === "save" ? addKeyAction(slug, IDLE, form) : previewKeyAction(slug, IDLE, form),
    {
      onSuccess: (data) => {
        if (!data) return;
        if ("preview" in data) {
          setPreview(data.preview);
          setStale(false);
        } else {
          router.push(keyHref(slug, data.kid));
        }
      },
    },
  );

  const headingId = `${source}-preview-heading`;
  useEffect(() => {
    // Move to the preview so keyboard and screen reader users land on what came back.
    if (preview) document.getElementById(headingId)?.focus();
  }, [preview, headingId]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const form = new FormData(event.currentTarget, submitter);
    setIntent(form.get("intent") === "save" ? "save" : "preview");
    startTransition(() => formAction(form));
  }

  function changed() {
    if (preview) setStale(true);
  }

  const errorFor = (field: string) => fieldMessage(fieldErrors, field);
  const fields = ["certificatePem", "privateKeyPem", "passphrase", "jwk", "kid", "alg", "kidStrategy", "appId"].filter(
    (f) => source !== "generate" || ["kid", "alg", "appId"].includes(f),
  );
  const placed = placedPaths(fieldErrors, fields);
  const encrypted = privateKeyPem.includes("ENCRYPTED");
  const id = (field: string) => `${source}-${field}`;
  const algOptions = algs.map((a) => ({ value: a, label: a }));

  // The optional certificate field of the PEM and JWK tabs.
  const certificateField = (hint: string, rows?: number) => (
    <PemField
      id={id("certificatePem")}
      name="certificatePem"
      label="Certificate (PEM, optional)"
      value={certificatePem}
      onChange={(v) => {
        setCertificatePem(v);
        changed();
      }}
      hint={hint}
      error={errorFor("certificatePem")}
      rows={rows}
      placeholder="-----BEGIN CERTIFICATE-----"
      accept=".pem,.crt,.cer,.txt"
    />
  );

  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} onChange={changed} className="space-y-5" aria-label={`Add a key: ${label}`} noValidate>
      <input type="hidden" name="source" value={source} />
      {source === "pem" ? (
        <>
          {certificateField("Paste it or drop the file here. The certificate, or its chain in any order.")}
          <PemField
            id={id("privateKeyPem")}
            name="privateKeyPem"
            label="Private key (PEM)"
            value={privateKeyPem}
            onChange={(v) => {
              setPrivateKeyPem(v);
              changed();
            }}
            hint="Paste it or drop the file here. PKCS#8, PKCS#1, SEC1 or encrypted PKCS#8; sealed before it is stored and never shown again."
            error={errorFor("privateKeyPem")}
            placeholder="PEM private key (PKCS#8, PKCS#1 or SEC1)"
            accept=".pem,.key,.txt"
          />
          {encrypted ? (
            <TextField
              id={id("passphrase")}
              name="passphrase"
              label="Passphrase of the private key"
              type="password"
              autoComplete="off"
              maxLength={1024}
              hint="The key is encrypted. The passphrase is used once to open it and is not stored."
              error={errorFor("passphrase")}
            />
          ) : null}
        </>
      ) : null}
      {source === "jwk" ? (
        <>
          <PemField
            id={id("jwk")}
            name="jwk"
            label="Private JWK (JSON)"
            value={jwk}
            onChange={(v) => {
              setJwk(v);
              changed();
            }}
            hint="One JSON object with the private members (d …); sealed before it is stored and never shown again."
            error={errorFor("jwk")}
            placeholder='{"kty":"RSA","n":"…","e":"AQAB","d":"…"}'
            accept=".json,.jwk,.txt"
          />
          {certificateField("The certificate issued for this key, or its chain in any order.", 5)}
        </>
      ) : null}
      <div className="grid gap-4 md:grid-cols-2">
        {source === "generate" ? (
          <SelectField id={id("alg")} name="alg" label="Algorithm" options={algOptions} defaultValue={algs[0]} error={errorFor("alg")} hint="The algorithms this tenant's profile allows." />
        ) : (
          <>
            <SelectField
              id={id("kidStrategy")}
              name="kidStrategy"
              label="kid strategy (optional)"
              options={KID_STRATEGIES}
              defaultValue=""
              error={errorFor("kidStrategy")}
              hint="Default: x5t with a certificate, otherwise the RFC 7638 thumbprint; given when you enter a kid."
            />
            <SelectField
              id={id("alg")}
              name="alg"
              label="Algorithm (optional)"
              options={[{ value: "", label: "From the key" }, ...algOptions]}
              defaultValue=""
              error={errorFor("alg")}
            />
          </>
        )}
        <TextField
          id={id("kid")}
          name="kid"
          label="kid (optional)"
          autoComplete="off"
          spellCheck={false}
          maxLength={256}
          hint="The kid your directory issued (Open Finance Brazil), if any."
          error={errorFor("kid")}
        />
        <TextField
          id={id("appId")}
          name="appId"
          label="App (appId, optional)"
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          hint="Scope the key to one client: published at /oauth2/v1/certs/app/{appId}. Empty: the tenant's key."
          error={errorFor("appId")}
        />
      </div>
      <FormAlert state={state} fields={placed} />
      <Button type="submit" name="intent" value="preview" variant={preview && !stale ? "secondary" : "primary"} disabled={pending}>
        {pending && intent === "preview" ? "Checking…" : preview ? "Preview again" : "Preview"}
      </Button>
      {preview ? (
        <section aria-labelledby={headingId} className={`space-y-4 rounded-lg border p-4 ${stale ? "border-slate-300 bg-white" : "border-brand-100 bg-brand-50/40"}`}>
          <KeyPreviewView preview={preview} headingId={headingId} />
          {source === "generate" ? (
            <p className="text-sm text-slate-700" data-testid="preview-generate-note">
              Saving generates the key again: the algorithm and settings are as shown, but the saved key is a new one, so its public JWK (and its kid,
              unless you gave one) will differ from this preview.
            </p>
          ) : null}
          {stale ? (
            <p className="text-sm font-medium text-slate-800" data-testid="preview-stale">
              The input changed since this preview: preview again before saving.
            </p>
          ) : (
            <div className="flex flex-wrap items-center gap-3">
              <Button type="submit" name="intent" value="save" disabled={pending}>
                {pending && intent === "save" ? "Saving…" : "Save key"}
              </Button>
              <span className="text-sm text-slate-600">The key starts staged: published in the JWKS, not signing until you activate it.</span>
            </div>
          )}
        </section>
      ) : null}
    </form>
  );
}
