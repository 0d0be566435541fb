"use client";

import { issueSsaAction, type IssuedSsaData } from "@/app/(console)/tenants/[tenant]/directories/actions";
import { Button } from "@/components/ui/button";
import { Field, TextField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { fieldMessage, placedPaths } from "@/components/keys/field-message";
import { SoftwareStatement } from "@/components/clients/software-statement";

const ROLES = ["AISP", "PISP", "CBPII"] as const;
const FIELDS = ["softwareId", "softwareClientName", "orgId", "orgName", "redirectUris", "roles", "softwareJwksEndpoint", "softwareJwks"];

/**
 * Issues a software statement from the sandbox directory, for a TPP to put in
 * its registration request; shows the SSA (copyable) and its claims.
 */
export function IssueSsaForm({ slug, id }: { slug: string; id: string }) {
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm<IssuedSsaData>((prev, form) => issueSsaAction(slug, id, prev, form));
  const error = (field: string) => fieldMessage(fieldErrors, field);
  const rolesError = error("roles");
  const issued = state.ok ? state.data : undefined;
  return (
    <div className="space-y-6">
      <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-4" aria-label="Issue a test software statement" noValidate>
        <div className="grid gap-4 md:grid-cols-2">
          <TextField id="softwareId" label="Software ID" required maxLength={100} autoComplete="off" hint="Letters, digits, '.', '_' and '-'." error={error("softwareId")} />
          <TextField id="softwareClientName" label="Client name" required maxLength={200} autoComplete="off" hint="The name the client is registered with." error={error("softwareClientName")} />
          <TextField id="orgId" label="Organisation ID" required maxLength={100} autoComplete="off" error={error("orgId")} />
          <TextField id="orgName" label="Organisation name" required maxLength={200} autoComplete="off" error={error("orgName")} />
        </div>
        <Field id="redirectUris" label="Redirect URIs" hint="One absolute URL per line: the client may register these, or some of them." error={error("redirectUris")}>
          {(a11y) => <textarea name="redirectUris" rows={3} spellCheck={false} placeholder="https://tpp.example/callback" {...a11y} className={`${a11y.className} font-mono text-xs`} />}
        </Field>
        <fieldset className="space-y-1" aria-describedby={rolesError ? "roles-error" : undefined}>
          <legend className="text-sm font-medium text-slate-800">Roles</legend>
          <div className="flex flex-wrap gap-4">
            {ROLES.map((role) => (
              <label key={role} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="roles" value={role} defaultChecked={role === "AISP"} />
                {role}
              </label>
            ))}
          </div>
          {rolesError ? (
            <p id="roles-error" className="text-xs font-medium text-red-700">
              {rolesError}
            </p>
          ) : null}
        </fieldset>
        <TextField
          id="softwareJwksEndpoint"
          label="Software JWKS endpoint"
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://tpp.example/jwks.json"
          hint="Where the TPP publishes the keys its registration requests and client assertions are signed with."
          error={error("softwareJwksEndpoint") ?? error("softwareJwks")}
        />
        <FormAlert state={state} fields={placedPaths(fieldErrors, FIELDS)} />
        <Button type="submit" disabled={pending}>
          {pending ? "Issuing…" : "Issue software statement"}
        </Button>
      </form>
      {issued ? (
        <section aria-labelledby="issued-ssa-heading" className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-4" data-testid="issued-ssa">
          <h3 id="issued-ssa-heading" className="text-sm font-semibold text-slate-900">
            Issued software statement
          </h3>
          <p className="text-sm text-slate-700">
            Valid for registration requests for a few minutes under strict profiles (Open Banking UK, Open Finance Brazil). The TPP puts it in the{" "}
            <code className="font-mono text-xs">software_statement</code> claim of its registration request.
          </p>
          <SoftwareStatement id="issued-ssa" jwt={issued.softwareStatement} claims={issued.claims} />
        </section>
      ) : null}
    </div>
  );
}
