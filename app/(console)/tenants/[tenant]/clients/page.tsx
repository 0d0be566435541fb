import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { listClients } from "@/lib/clients/clients";
import { Badge } from "@/components/ui/badge";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, PageHeader, Table, Td, Time } from "@/components/ui/page";
import { clientsHref, shortGrantType } from "@/components/clients/client-labels";
import { decodeParam } from "../keys/params";

interface Props {
  params: Promise<{ tenant: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Clients of ${decodeParam((await params).tenant)}` };
}

export default async function ClientsPage({ params }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const page = await unlessNotFound(() => listClients(actor, slug, { limit: 200 }));
  if (!page) notFound();
  const clients = page.items;
  const canChange = hasRole(actor.role, "operator");
  const newHref = `${clientsHref(slug)}/new`;

  return (
    <>
      <Breadcrumb href={`/tenants/${encodeURIComponent(slug)}`}>Tenant {slug}</Breadcrumb>
      <PageHeader
        title="Clients"
        description={
          <>
            The TPP clients of tenant <span className="font-mono">{slug}</span> that may ask its token endpoint for access tokens.
          </>
        }
        actions={
          canChange ? (
            <Link href={newHref} className={buttonClass("primary")}>
              New client
            </Link>
          ) : null
        }
      />
      {clients.length === 0 ? (
        <EmptyState title="This tenant has no clients yet">
          {canChange ? (
            <>
              <Link className="text-brand-700 underline" href={newHref}>
                Create a client
              </Link>{" "}
              with a secret (client_secret_basic) or its own keys (private_key_jwt).
            </>
          ) : (
            "An operator can create one."
          )}
        </EmptyState>
      ) : (
        <Table caption={`Clients of tenant ${slug}`} head={["client_id", "Name", "Authentication", "Grant types", "Scope", "Status", "Created"]}>
          {clients.map((c) => (
            <tr key={c.clientId} data-testid="client-row">
              <Td className="font-mono text-xs">{c.clientId}</Td>
              <Td className="whitespace-normal">{c.name}</Td>
              <Td className="font-mono text-xs">
                {c.tokenEndpointAuthMethod}
                {c.jwksUri ? <span className="block break-all text-slate-600">{c.jwksUri}</span> : null}
              </Td>
              <Td className="whitespace-normal text-xs">{c.grantTypes.map(shortGrantType).join(", ")}</Td>
              <Td className="whitespace-normal font-mono text-xs">{c.scope || "—"}</Td>
              <Td>
                <Badge tone={c.status === "active" ? "green" : "amber"}>{c.status}</Badge>
              </Td>
              <Td>
                <Time value={c.createdAt} />
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
