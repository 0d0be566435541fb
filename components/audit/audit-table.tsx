"use client";

// A client component: the page sends the events once, as data, and the rows are
// rendered from them, instead of shipping every row's markup twice (in the HTML
// and again in the server-component payload).

import { useState } from "react";
import type { AuditEventView } from "@/lib/audit/schemas";
import { auditChange, changeHeadline, showValue, type AuditChange } from "@/lib/audit/change-diff";
import { Table, Td } from "@/components/ui/page";
import { StackedTime } from "@/components/ui/stacked-time";

const VALUE = "break-all rounded bg-slate-50 px-1 text-slate-800";

/** One field's values, side by side. */
function FieldRows({ rows }: { rows: { field: string; cells: unknown[] }[] }) {
  return (
    <dl className="mt-1 space-y-1">
      {rows.map(({ field, cells }) => (
        <div key={field}>
          <dt className="font-sans font-medium text-slate-700">{field}</dt>
          <dd>
            {cells.map((v, i) => (
              <span key={i}>
                {i > 0 ? <span aria-label="changed to"> → </span> : null}
                <span className={VALUE}>{showValue(v)}</span>
              </span>
            ))}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function ChangeDetails({ change }: { change: AuditChange }) {
  switch (change.kind) {
    case "none":
      return null;
    case "value":
      return <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-slate-800">{JSON.stringify(change.value, null, 2)}</pre>;
    case "created":
    case "deleted":
      return <FieldRows rows={change.fields.map(({ field, value }) => ({ field, cells: [value] }))} />;
    case "updated":
      return (
        <>
          <FieldRows rows={change.changed.map(({ field, before, after }) => ({ field, cells: [before, after] }))} />
          {change.unchanged.length > 0 ? <p className="mt-1 font-sans text-slate-500">Unchanged: {change.unchanged.join(", ")}</p> : null}
        </>
      );
  }
}

/**
 * What the event changed: one short line, expandable to the fields (before →
 * after for an update), rendered when opened. The <summary> also makes the
 * table's scroll container reachable by keyboard.
 */
function ChangeCell({ before, after }: { before: unknown; after: unknown }) {
  const [open, setOpen] = useState(false);
  const change = auditChange(before, after);
  if (change.kind === "none") return <span className="text-slate-500">—</span>;
  return (
    <details
      className="w-56 whitespace-normal font-mono text-xs text-slate-600"
      data-testid="audit-change"
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary className="cursor-pointer break-all">{changeHeadline(change)}</summary>
      {open ? <ChangeDetails change={change} /> : null}
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
            <ChangeCell before={e.before} after={e.after} />
          </Td>
        </tr>
      ))}
    </Table>
  );
}
