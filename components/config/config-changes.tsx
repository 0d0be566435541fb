import type { ConfigChange } from "@/lib/tenants/config-schema";

function show(value: unknown): string {
  if (value === null || value === undefined) return "none";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function AddedKey({ after }: { after: unknown }) {
  // The service describes a new key by its public facts only (kid, alg, state, certificate subject).
  const key = (after ?? {}) as { kid?: unknown; alg?: unknown; state?: unknown; certificate?: unknown };
  return (
    <span className="flex flex-wrap items-baseline gap-x-2">
      <span className="font-medium text-green-800">Added key</span>
      <code className="font-mono text-xs" data-testid="change-kid">
        {show(key.kid)}
      </code>
      <span className="text-slate-700">
        {show(key.alg)}, {show(key.state)}
        {typeof key.certificate === "string" ? <>, certificate {key.certificate}</> : ", no certificate"}
      </span>
    </span>
  );
}

/** What an import changes, one line per change: a set value from before to after, or an added key. */
export function ConfigChanges({ changes }: { changes: ConfigChange[] }) {
  return (
    <ul data-testid="config-diff" className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white text-sm">
      {changes.map((c) => (
        <li key={`${c.change}:${c.path}`} data-testid="config-change" data-path={c.path} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-3 py-2">
          <code className="font-mono text-xs font-semibold text-slate-900">{c.path}</code>
          {c.change === "add" ? (
            <AddedKey after={c.after} />
          ) : (
            <span className="flex flex-wrap items-baseline gap-x-1.5">
              <del className="rounded bg-red-50 px-1 font-mono text-xs text-red-800" data-testid="change-before">
                <span className="sr-only">from </span>
                {show(c.before)}
              </del>
              <span aria-hidden="true" className="text-slate-600">
                →
              </span>
              <ins className="rounded bg-green-50 px-1 font-mono text-xs text-green-800 no-underline" data-testid="change-after">
                <span className="sr-only">to </span>
                {show(c.after)}
              </ins>
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
