"use client";

import { useState } from "react";

/**
 * Where a user or an API token acts: every tenant, or only the ones ticked.
 * Sends `scope` ("all" | "some") and one `tenants` value per ticked tenant.
 */
export function TenantScopeFields({
  idPrefix,
  tenants,
  value,
  error,
  legend = "Tenants",
}: {
  idPrefix: string;
  tenants: readonly string[];
  value: readonly string[] | null;
  error?: string;
  legend?: string;
}) {
  const [scope, setScope] = useState<"all" | "some">(value === null ? "all" : "some");
  const errorId = `${idPrefix}-tenants-error`;
  return (
    <fieldset className="space-y-1" aria-describedby={error ? errorId : undefined}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <label className="flex items-center gap-2 text-sm">
        <input type="radio" name="scope" value="all" checked={scope === "all"} onChange={() => setScope("all")} />
        Every tenant
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="radio" name="scope" value="some" checked={scope === "some"} onChange={() => setScope("some")} />
        Only these tenants (the others do not exist for it)
      </label>
      {scope === "some" ? (
        tenants.length === 0 ? (
          <p className="pl-6 text-xs text-slate-600">There is no tenant yet.</p>
        ) : (
          <div className="flex flex-wrap gap-x-4 gap-y-1 pl-6">
            {tenants.map((slug) => (
              <label key={slug} className="flex items-center gap-2 font-mono text-xs">
                <input type="checkbox" name="tenants" value={slug} defaultChecked={value?.includes(slug) ?? false} />
                {slug}
              </label>
            ))}
          </div>
        )
      ) : null}
      {error ? (
        <p id={errorId} className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A scope as a table cell shows it. */
export function TenantScopeText({ tenants }: { tenants: readonly string[] | null }) {
  if (tenants === null) return <span className="text-slate-600">every tenant</span>;
  return <span className="font-mono text-xs">{tenants.join(", ")}</span>;
}
