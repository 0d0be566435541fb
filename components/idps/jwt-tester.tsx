"use client";

import { useState } from "react";
import { verifyJwtAction, type JwtTestData } from "@/app/(console)/tenants/[tenant]/identity-providers/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { Table, Td } from "@/components/ui/page";
import { useServerForm } from "@/components/ui/use-server-form";
import { fieldMessage, placedPaths } from "@/components/keys/field-message";

/** Paste a JWT: its decoded header and claims, and which check passes or fails against this IdP. */
export function JwtTester({ slug, id }: { slug: string; id: string }) {
  const [jwt, setJwt] = useState("");
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm<JwtTestData>((prev, form) => verifyJwtAction(slug, id, prev, form));
  const result = state.ok ? state.data : undefined;
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-4" aria-label="JWT tester" noValidate>
      <Field id="jwt" label="JWT" hint="Nothing is stored and its jti is not consumed." error={fieldMessage(fieldErrors, "jwt")}>
        {(a11y) => (
          <textarea
            {...a11y}
            name="jwt"
            rows={5}
            value={jwt}
            onChange={(e) => setJwt(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            autoCapitalize="off"
            placeholder="eyJhbGciOi…"
            className={`${a11y.className} font-mono text-xs break-all`}
          />
        )}
      </Field>
      <FormAlert state={state} fields={placedPaths(fieldErrors, ["jwt"])} />
      <Button type="submit" disabled={pending}>
        {pending ? "Checking…" : "Check JWT"}
      </Button>
      {result ? (
        <section aria-labelledby="jwt-result-heading" className="space-y-4" data-testid="jwt-result">
          <h3 id="jwt-result-heading" className="flex items-center gap-2 text-sm font-semibold">
            Result {result.valid ? <Badge tone="green">valid</Badge> : <Badge tone="red">invalid</Badge>}
          </h3>
          <div className="grid gap-4 md:grid-cols-2">
            <div>
              <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">Header</h4>
              <pre data-testid="jwt-header" className="overflow-x-auto rounded-md bg-slate-50 p-3 font-mono text-xs" tabIndex={0}>
                {result.header ? JSON.stringify(result.header, null, 2) : "(not decodable)"}
              </pre>
            </div>
            <div>
              <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">Claims</h4>
              <pre data-testid="jwt-claims" className="overflow-x-auto rounded-md bg-slate-50 p-3 font-mono text-xs" tabIndex={0}>
                {result.claims ? JSON.stringify(result.claims, null, 2) : "(not decodable)"}
              </pre>
            </div>
          </div>
          <Table caption="Checks of the JWT" head={["Check", "Result", "Detail"]}>
            {result.checks.map((c) => (
              <tr key={c.name} data-testid={`check-${c.name}`}>
                <Td className="font-mono text-xs">{c.name}</Td>
                <Td>{c.ok ? <Badge tone="green">pass</Badge> : <Badge tone="red">fail</Badge>}</Td>
                <Td className={`whitespace-normal ${c.ok ? "" : "text-red-700"}`}>{c.detail}</Td>
              </tr>
            ))}
          </Table>
        </section>
      ) : null}
    </form>
  );
}
