import { Field, SelectField, TextField } from "@/components/ui/field";
import { errorOf } from "@/components/ui/form-errors";
import { GRANT_TYPE_OPTIONS, RESPONSE_TYPE_OPTIONS, SIGNING_ALG_OPTIONS } from "@/components/clients/client-labels";

/** The metadata fields the form sends, for FormAlert to know which errors sit beside a field. */
export const METADATA_FIELDS = [
  "grantTypes",
  "responseTypes",
  "redirectUris",
  "tokenEndpointAuthSigningAlg",
  "idTokenSignedResponseAlg",
  "requestObjectSigningAlg",
  "softwareId",
  "orgId",
  "orgName",
  "roles",
];

export interface MetadataValues {
  grantTypes: string[];
  responseTypes: string[];
  redirectUris: string[];
  tokenEndpointAuthSigningAlg: string | null;
  idTokenSignedResponseAlg: string | null;
  requestObjectSigningAlg: string | null;
  softwareId: string | null;
  orgId: string | null;
  orgName: string | null;
  roles: string[];
}

export const NEW_CLIENT_METADATA: MetadataValues = {
  grantTypes: ["client_credentials"],
  responseTypes: [],
  redirectUris: [],
  tokenEndpointAuthSigningAlg: null,
  idTokenSignedResponseAlg: null,
  requestObjectSigningAlg: null,
  softwareId: null,
  orgId: null,
  orgName: null,
  roles: [],
};

function Checkboxes({ name, legend, options, checked, error }: { name: string; legend: string; options: readonly { value: string; label: string }[]; checked: string[]; error?: string }) {
  return (
    <fieldset className="space-y-1" aria-describedby={error ? `${name}-error` : undefined}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="flex items-center gap-2 text-sm">
          <input type="checkbox" name={name} value={o.value} defaultChecked={checked.includes(o.value)} />
          {o.label}
        </label>
      ))}
      {error ? (
        <p id={`${name}-error`} className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * A client's OAuth and OpenID metadata, as the console sets it at creation
 * and on edit: grants and response types, redirect URIs, signing algorithms
 * (the tenant profile's only), software and organisation. The service checks
 * the combination with the same rules as Dynamic Client Registration.
 */
export function ClientMetadataFields({
  values,
  algs,
  fieldErrors,
  authMethod,
}: {
  values: MetadataValues;
  algs: readonly string[];
  fieldErrors: Record<string, string>;
  /** The assertion algorithm applies to private_key_jwt clients only. */
  authMethod: string;
}) {
  const algOptions = [{ value: "", label: "not set" }, ...SIGNING_ALG_OPTIONS.filter((o) => algs.includes(o.value))];
  return (
    <div className="space-y-5">
      <Checkboxes name="grantTypes" legend="Grant types" options={GRANT_TYPE_OPTIONS} checked={values.grantTypes} error={errorOf(fieldErrors, "grantTypes")} />
      <Checkboxes
        name="responseTypes"
        legend="Response types (OpenID Connect; none for clients that never send a user to log in)"
        options={RESPONSE_TYPE_OPTIONS}
        checked={values.responseTypes}
        error={errorOf(fieldErrors, "responseTypes")}
      />
      <Field id="redirectUris" label="Redirect URIs" hint="One absolute URL per line, no fragment; needed with authorization_code." error={errorOf(fieldErrors, "redirectUris")}>
        {(a11y) => (
          <textarea name="redirectUris" rows={3} spellCheck={false} defaultValue={values.redirectUris.join("\n")} {...a11y} className={`${a11y.className} font-mono text-xs`} />
        )}
      </Field>
      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-1 text-sm font-medium text-slate-800">Signing algorithms (those the tenant&apos;s profile allows)</legend>
        {authMethod === "private_key_jwt" ? (
          <SelectField
            id="tokenEndpointAuthSigningAlg"
            label="Client assertions"
            options={algOptions}
            defaultValue={values.tokenEndpointAuthSigningAlg ?? ""}
            hint="When set, the token endpoint accepts only this algorithm."
            error={fieldErrors.tokenEndpointAuthSigningAlg}
          />
        ) : null}
        <SelectField id="idTokenSignedResponseAlg" label="ID tokens" options={algOptions} defaultValue={values.idTokenSignedResponseAlg ?? ""} error={fieldErrors.idTokenSignedResponseAlg} />
        <SelectField id="requestObjectSigningAlg" label="Request objects" options={algOptions} defaultValue={values.requestObjectSigningAlg ?? ""} error={fieldErrors.requestObjectSigningAlg} />
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField id="softwareId" label="software_id (optional)" autoComplete="off" maxLength={100} defaultValue={values.softwareId ?? ""} error={fieldErrors.softwareId} />
        <TextField
          id="roles"
          label="Roles (optional)"
          autoComplete="off"
          defaultValue={values.roles.join(" ")}
          hint="Space- or comma-separated, e.g. AISP PISP."
          error={errorOf(fieldErrors, "roles")}
        />
        <TextField id="orgId" label="Organisation id (optional)" autoComplete="off" maxLength={100} defaultValue={values.orgId ?? ""} error={fieldErrors.orgId} />
        <TextField id="orgName" label="Organisation (optional)" autoComplete="off" maxLength={200} defaultValue={values.orgName ?? ""} error={fieldErrors.orgName} />
      </div>
    </div>
  );
}
