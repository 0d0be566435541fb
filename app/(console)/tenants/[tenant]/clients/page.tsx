import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { listClients } from "@/lib/clients/clients";
import { Badge } from "@/components/ui/badge";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { Card, EmptyState, PageHeader, Table, Td, Time } from "@/components/ui/page";
import { CreateClientForm } from "@/components/clients/create-client-form";
import { decodeParam } from "../keys/params";

export const metadata: Metadata = { title: "Clients" };
export const dynamic = "force-dynamic";

export default async function ClientsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const clients = await unlessNotFound(() => listClients(actor, slug));
  if (!clients) notFound();
  return (
    <>
      <Breadcrumb href={`/tenants/${encodeURIComponent(slug)}`}>Tenant {slug}</Breadcrumb>
      <PageHeader title="Clients" description={<>The TPP clients of tenant <span className="font-mono">{slug}</span> that may ask its token endpoint for access tokens.</>} />
      <div className="space-y-8">
        {hasRole(actor.role, "operator") ? (
          <Card title="New client">
            <CreateClientForm tenant={slug} />
          </Card>
        ) : null}
        {clients.length > 0 ? (
          <Table caption={`Clients of tenant ${slug}`} head={["client_id", "Name", "Authentication", "Grant types", "Scope", "Status", "Created"]}>
            {clients.map((c) => (
              <tr key={c.clientId} data-testid="client-row">
                <Td className="font-mono text-xs">{c.clientId}</Td>
                <Td>{c.name}</Td>
                <Td>{c.tokenEndpointAuthMethod}</Td>
                <Td className="whitespace-normal text-xs">{c.grantTypes.map((g) => g.replace("urn:ietf:params:oauth:grant-type:", "")).join(", ")}</Td>
                <Td className="whitespace-normal text-xs">{c.scope || "—"}</Td>
                <Td>
                  <Badge tone={c.status === "active" ? "green" : "amber"}>{c.status}</Badge>
                </Td>
                <Td>
                  <Time value={c.createdAt} />
                </Td>
              </tr>
            ))}
          </Table>
        ) : (
          <EmptyState title="No clients yet" />
        )}
      </div>
    </>
  );
}
