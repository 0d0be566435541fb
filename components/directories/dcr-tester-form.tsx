"use client";

import { useState } from "react";
import { testRegistrationAction, type DcrTestData } from "@/app/(console)/tenants/[tenant]/dcr-tester/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { Table, Td } from "@/components/ui/page";
import { useServerForm } from "@/components/ui/use-server-form";
import { fieldMessage, placedPaths } from "@/components/keys/field-message";
import { ClaimsTable } from "@/components/clients/claims-table";

/**
 * Paste a registration request JWT: every DCR rule with its result, what the
 * registration endpoint would answer, and the software statement decoded.
 */
export function DcrTesterForm({ slug }: { slug: string }) {
  const [jwt, setJwt] = useState("");
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm<DcrTestData>((prev, form) => testRegistrationAction(slug, prev, form));
  const result = state.ok ? state.data : undefined;
  const answer = result
    ? result.wouldRegister
      ? "201 Created, with the new client's client_id, its registered metadata and a registration access token"
      : JSON.stringify({ error: result.error?.error, error_description: result.error?.errorDescription }, null, 2)
    : "";
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-4" aria-label="DCR tester" noValidate>
      <Field
        id="requestJwt"
        label="Registration request JWT"
        hint="The body a TPP would POST to the registration endpoint (Content-Type application/jwt). Nothing is registered and its jti is not consumed."
        error={fieldMessage(fieldErrors, "requestJwt")}
      >
        {(a11y) => (
          <textarea
            {...a11y}
            name="requestJwt"
            rows={6}
            value={jwt}
            onChange={(e) => setJwt(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            autoCapitalize="off"
            placeholder="eyJhbGciOiJQUzI1NiIs…"
            className={`${a11y.className} break-all font-mono text-xs`}
          />
        )}
      </Field>
      <FormAlert state={state} fields={placedPaths(fieldErrors, ["requestJwt"])} />
      <Button type="submit" disabled={pending}>
        {pending ? "Checking…" : "Check request"}
      </Button>
      {result ? (
        <section aria-labelledby="dcr-result-heading" className="space-y-4" data-testid="dcr-result">
          <h3 id="dcr-result-heading" className="flex items-center gap-2 text-sm font-semibold">
            Result {result.wouldRegister ? <Badge tone="green">would register</Badge> : <Badge tone="red">would be refused</Badge>}
          </h3>
          <div>
            <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">What the registration endpoint would answer</h4>
            {result.wouldRegister ? (
              <p className="text-sm text-slate-800" data-testid="dcr-answer">
                {answer}
              </p>
            ) : (
              <div className="space-y-1">
                <p className="text-sm text-slate-800">400 Bad Request:</p>
                <pre data-testid="dcr-answer" tabIndex={0} className="overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-50 p-3 font-mono text-xs">
                  {answer}
                </pre>
              </div>
            )}
          </div>
          <Table caption="Rules of the registration request" head={["Rule", "Result", "Detail"]}>
            {result.checks.map((c, i) => (
              <tr key={`${c.rule}-${i}`} data-testid="dcr-check" data-rule={c.rule} data-ok={c.ok ? "true" : "false"}>
                <Td className="font-mono text-xs">{c.rule}</Td>
                <Td>{c.ok ? <Badge tone="green">pass</Badge> : <Badge tone="red">fail</Badge>}</Td>
                <Td className={`whitespace-normal ${c.ok ? "" : "text-red-700"}`}>
                  {c.detail}
                  {c.ok ? null : <span className="block text-xs text-slate-700">answers {c.error}</span>}
                </Td>
              </tr>
            ))}
          </Table>
          <div>
            <h4 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-600">Software statement</h4>
            {result.softwareStatement ? (
              <ClaimsTable claims={result.softwareStatement} caption="Claims of the software statement" testId="dcr-ssa-claims" />
            ) : (
              <p className="text-sm text-slate-600">The request carries no readable software statement.</p>
            )}
          </div>
        </section>
      ) : null}
    </form>
  );
}
