"use client";

// A client component: the page sends each row's values once, as data, and the
// rows are rendered from them, instead of shipping every row's markup twice
// (in the HTML and again in the server-component payload).

import Link from "next/link";
import type { ClientRow } from "@/components/clients/client-row";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Time } from "@/components/ui/page";
import { clientHref, REGISTERED_VIA_LABEL, shortGrantType } from "@/components/clients/client-labels";

export function ClientsTable({ slug, caption, rows }: { slug: string; caption: string; rows: ClientRow[] }) {
  return (
    <Table caption={caption} head={["client_id", "Name", "Software / organisation", "Authentication", "Grant types", "Registered via", "Status", "Created"]}>
      {rows.map((c) => (
        <tr key={c.clientId} data-testid="client-row" data-client-id={c.clientId}>
          <Td>
            <Link href={clientHref(slug, c.clientId)} className="font-mono text-xs font-medium text-brand-700 underline hover:text-brand-900">
              {c.clientId}
            </Link>
          </Td>
          <Td className="whitespace-normal">{c.name}</Td>
          <Td className="whitespace-normal text-xs">
            {c.softwareId ? <span className="block break-all font-mono">{c.softwareId}</span> : null}
            {c.orgName || c.orgId ? <span className="block text-slate-700">{c.orgName ?? c.orgId}</span> : null}
            {!c.softwareId && !c.orgName && !c.orgId ? <span className="text-slate-600">—</span> : null}
          </Td>
          <Td className="font-mono text-xs">
            {c.tokenEndpointAuthMethod}
            {c.jwksUri ? <span className="block max-w-64 break-all whitespace-normal text-slate-600">{c.jwksUri}</span> : null}
          </Td>
          <Td className="whitespace-normal text-xs">{c.grantTypes.map(shortGrantType).join(", ")}</Td>
          <Td>
            <Badge tone={c.registeredVia === "dcr" ? "blue" : "neutral"}>{REGISTERED_VIA_LABEL[c.registeredVia]}</Badge>
          </Td>
          <Td>
            <Badge tone={c.status === "active" ? "green" : "amber"}>{c.status}</Badge>
          </Td>
          <Td>
            <Time value={c.createdAt} />
          </Td>
        </tr>
      ))}
    </Table>
  );
}
