import type { AuditEventView } from "@/lib/audit/schemas";
import { Table, Td } from "@/components/ui/page";
import { StackedTime } from "@/components/ui/stacked-time";

function summarize(value: unknown, max = 60): string {
  if (value === null || value === undefined) return "";
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The before/after summaries: one short line, expandable to the full JSON. The
 * <summary> also makes the table's scroll container reachable by keyboard.
 */
function AuditChange({ before, after }: { before: unknown; after: unknown }) {
  const parts = [
    ["before", before],
    ["after", after],
  ].filter(([, v]) => v !== null && v !== undefined) as [string, unknown][];
  if (parts.length === 0) return <span className="text-slate-500">—</span>;
  const [label, value] = parts.at(-1) ?? ["", null];
  return (
    <details className="w-56 whitespace-normal font-mono text-xs text-slate-600">
      <summary className="cursor-pointer break-all">
        {label}: {summarize(value)}
      </summary>
      {parts.map(([name, v]) => (
        <div key={name} className="mt-1">
          <p className="font-sans font-medium text-slate-700">{name}</p>
          <pre className="whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-slate-800">{JSON.stringify(v, null, 2)}</pre>
        </div>
      ))}
    </details>
  );
}

export function AuditTable({ events, caption }: { events: AuditEventView[]; caption: string }) {
  return (
    <Table caption={caption} head={["Time", "Actor", "Action", "Target", "Tenant", "Change"]}>
      {events.map((e) => (
        <tr key={e.id} data-testid="audit-row">
          <Td>
            <StackedTime value={e.at} />
          </Td>
          <Td>
            <span className="block">{e.actor.label}</span>
            {e.ip ? <span className="block text-xs text-slate-500">{e.ip}</span> : null}
          </Td>
          <Td>
            <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{e.action}</code>
          </Td>
          <Td>
            {e.target ? (
              <span title={e.target.id} className="block leading-tight">
                <span className="block">{e.target.type}</span>
                {/* Ids are time-ordered UUIDs: their tail is what tells two apart. */}
                <span className="block font-mono text-xs text-slate-600">{e.target.id.length > 20 ? `…${e.target.id.slice(-12)}` : e.target.id}</span>
              </span>
            ) : (
              "—"
            )}
          </Td>
          <Td>{e.tenant ?? "—"}</Td>
          <Td>
            <AuditChange before={e.before} after={e.after} />
          </Td>
        </tr>
      ))}
    </Table>
  );
}
