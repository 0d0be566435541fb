import type { AuditEventView } from "@/lib/audit/schemas";
import { Table, Td, Time } from "@/components/ui/page";

function summarize(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

export function AuditTable({ events, caption }: { events: AuditEventView[]; caption: string }) {
  return (
    <Table caption={caption} head={["Time", "Actor", "Action", "Target", "Tenant", "Change"]}>
      {events.map((e) => (
        <tr key={e.id} data-testid="audit-row">
          <Td>
            <Time value={e.at} />
          </Td>
          <Td>
            <span className="block">{e.actor.label}</span>
            {e.ip ? <span className="block text-xs text-slate-500">{e.ip}</span> : null}
          </Td>
          <Td>
            <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{e.action}</code>
          </Td>
          <Td>{e.target ? `${e.target.type} ${e.target.id.slice(0, 12)}` : "—"}</Td>
          <Td>{e.tenant ?? "—"}</Td>
          <Td className="max-w-md whitespace-normal break-all font-mono text-xs text-slate-600">
            {e.before ? <span className="block">before: {summarize(e.before)}</span> : null}
            {e.after ? <span className="block">after: {summarize(e.after)}</span> : null}
          </Td>
        </tr>
      ))}
    </Table>
  );
}
