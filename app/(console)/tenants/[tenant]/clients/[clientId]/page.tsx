import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { getClient } from "@/lib/clients/clients";
import { describeClientKey } from "@/lib/clients/client-keys";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader, Time } from "@/components/ui/page";
import { CopyBox } from "@/components/ui/copy-box";
import { DetailRow } from "@/components/keys/certificate-details";
import { AddClientKeyForm } from "@/components/clients/add-client-key-form";
import { ClientControls } from "@/components/clients/client-controls";
import { ClientKeysTable } from "@/components/clients/client-keys-table";
import { SoftwareStatement } from "@/components/clients/software-statement";
import { clientHref, clientsHref, REGISTERED_VIA_LABEL, shortGrantType } from "@/components/clients/client-labels";
import { TestClientKeys } from "@/components/clients/test-client-keys";
import { HealthDetails } from "@/components/idps/idp-health";
import { buttonClass } from "@/components/ui/button";
import { idpHealth } from "@/lib/idps/idp-keys";
import { dcrTesterHref, directoriesHref } from "@/components/directories/directory-labels";
import { decodeParam } from "../../keys/params";

interface Props {
  params: Promise<{ tenant: string; clientId: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Client ${decodeParam((await params).clientId)}` };
}

function List({ items, mono = true }: { items: string[]; mono?: boolean }) {
  if (items.length === 0) return <span className="text-slate-600">none</span>;
  return (
    <ul className="space-y-0.5">
      {items.map((item) => (
        <li key={item} className={mono ? "break-all font-mono text-xs" : ""}>
          {item}
        </li>
      ))}
    </ul>
  );
}

function Optional({ value, children }: { value: string | null; children?: ReactNode }) {
  if (!value) return <span className="text-slate-600">—</span>;
  return <span className="break-all font-mono text-xs">{children ?? value}</span>;
}

export default async function ClientPage({ params }: Props) {
  const actor = await requirePageActor();
  const raw = await params;
  const slug = decodeParam(raw.tenant);
  const clientId = decodeParam(raw.clientId);
  const client = await unlessNotFound(() => getClient(actor, slug, clientId));
  if (!client) notFound();
  const canChange = hasRole(actor.role, "operator");
  const tenantPath = `/tenants/${encodeURIComponent(slug)}`;
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request
  const now = Date.now();
  const keys = (client.jwks?.keys ?? []).map((k) => describeClientKey(k, new Date(now)));
  const health = client.jwksUri ? idpHealth(client.jwksUri) : null;
  const algs = [
    ["Client assertions", client.tokenEndpointAuthSigningAlg],
    ["ID tokens", client.idTokenSignedResponseAlg],
    ["Request objects", client.requestObjectSigningAlg],
  ].filter((a): a is [string, string] => a[1] !== null);

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex flex-wrap gap-x-2 text-sm">
        <Link href={tenantPath} className="text-brand-700 underline">
          Tenant {slug}
        </Link>
        <span aria-hidden="true" className="text-slate-600">
          /
        </span>
        <Link href={clientsHref(slug)} className="text-brand-700 underline">
          Clients
        </Link>
      </nav>
      <PageHeader
        title={client.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>Client</span>
            <code className="break-all font-mono text-sm text-slate-900" data-testid="client-id">
              {client.clientId}
            </code>
            <span data-testid="client-status">
              <Badge tone={client.status === "active" ? "green" : "amber"}>{client.status}</Badge>
            </span>
            <Badge tone={client.registeredVia === "dcr" ? "blue" : "neutral"}>{client.registeredVia === "dcr" ? "registered through DCR" : "created in the console"}</Badge>
          </span>
        }
      />
      <div className="space-y-6">
        <Card title="Registration">
          <dl className="grid gap-2 text-sm lg:grid-cols-2 lg:gap-x-10" data-testid="client-metadata">
            <DetailRow label="client_id">
              <span className="break-all font-mono text-xs">{client.clientId}</span>
            </DetailRow>
            <DetailRow label="Name">{client.name}</DetailRow>
            <DetailRow label="Status">
              {client.status === "active" ? "active: may ask for tokens" : "suspended: the token endpoint refuses it"}
            </DetailRow>
            <DetailRow label="Registered via" testId="client-registered-via">
              {REGISTERED_VIA_LABEL[client.registeredVia]}
              <span className="text-slate-600"> · by {client.createdBy}</span>
            </DetailRow>
            <DetailRow label="Created">
              <Time value={client.createdAt} />
            </DetailRow>
            <DetailRow label="software_id" testId="client-software-id">
              <Optional value={client.softwareId} />
            </DetailRow>
            <DetailRow label="Organisation" testId="client-organisation">
              {client.orgName || client.orgId ? (
                <>
                  {client.orgName ?? ""}
                  {client.orgId ? <span className="block break-all font-mono text-xs text-slate-700">{client.orgId}</span> : null}
                </>
              ) : (
                <span className="text-slate-600">—</span>
              )}
            </DetailRow>
            <DetailRow label="Roles">{client.roles.length > 0 ? client.roles.join(", ") : <span className="text-slate-600">none</span>}</DetailRow>
            <DetailRow label="Redirect URIs" testId="client-redirect-uris">
              <List items={client.redirectUris} />
            </DetailRow>
            <DetailRow label="Grant types">
              <List items={client.grantTypes.map(shortGrantType)} />
            </DetailRow>
            <DetailRow label="Response types">
              <List items={client.responseTypes} />
            </DetailRow>
            <DetailRow label="Authentication" testId="client-auth-method">
              <span className="font-mono text-xs">{client.tokenEndpointAuthMethod}</span>
            </DetailRow>
            {client.tlsClientAuthSubjectDn ? (
              <DetailRow label="Certificate subject DN">
                <span className="break-all font-mono text-xs">{client.tlsClientAuthSubjectDn}</span>
              </DetailRow>
            ) : null}
            <DetailRow label="Signing algorithms">
              {algs.length === 0 ? (
                <span className="text-slate-600">not set</span>
              ) : (
                <ul className="space-y-0.5">
                  {algs.map(([what, alg]) => (
                    <li key={what}>
                      {what}: <span className="font-mono text-xs">{alg}</span>
                    </li>
                  ))}
                </ul>
              )}
            </DetailRow>
            <DetailRow label="Scope">{client.scope ? <span className="font-mono text-xs">{client.scope}</span> : <span className="text-slate-600">none</span>}</DetailRow>
          </dl>
          {canChange ? (
            <div className="mt-4 flex flex-wrap items-start gap-3 border-t border-slate-200 pt-4">
              <Link href={`${clientHref(slug, client.clientId)}/edit`} className={buttonClass("secondary", "sm")}>
                Edit
              </Link>
              <ClientControls slug={slug} clientId={client.clientId} name={client.name} status={client.status} />
            </div>
          ) : null}
        </Card>

        <Card title="Keys">
          {client.tokenEndpointAuthMethod !== "private_key_jwt" ? (
            <p className="text-sm text-slate-700">
              {client.tokenEndpointAuthMethod === "client_secret_basic"
                ? "This client authenticates with a client secret (HTTP Basic); Keyward keeps only its hash. It has no signing keys."
                : "This client authenticates with its TLS transport certificate (tls_client_auth); it has no signing keys here."}
            </p>
          ) : client.jwksUri ? (
            <div className="space-y-4">
              <p className="text-sm text-slate-700">
                The client publishes its keys itself: they are fetched from its jwks_uri when it authenticates (through the same cache, limits and
                refetch interval as identity providers), and change when the TPP changes them.
              </p>
              <CopyBox id="client-jwks-uri" label="jwks_uri" value={client.jwksUri} />
              {health ? <HealthDetails health={health} /> : null}
              {canChange ? <TestClientKeys slug={slug} clientId={client.clientId} /> : null}
            </div>
          ) : (
            <div className="space-y-6">
              <ClientKeysTable slug={slug} clientId={client.clientId} keys={keys} canRemove={canChange} now={now} />
              {canChange ? (
                <section aria-labelledby="add-key-heading" className="max-w-3xl space-y-3 border-t border-slate-200 pt-4">
                  <h3 id="add-key-heading" className="text-sm font-semibold text-slate-900">
                    Add key
                  </h3>
                  <AddClientKeyForm slug={slug} clientId={client.clientId} />
                </section>
              ) : null}
            </div>
          )}
        </Card>

        <Card title="Software statement">
          {client.softwareStatement ? (
            <SoftwareStatement id="client-ssa" jwt={client.softwareStatement} claims={client.softwareStatementClaims} />
          ) : (
            <p className="text-sm text-slate-700">
              This client was created in the console: it has no software statement. TPPs that register themselves send one, signed by a{" "}
              <Link className="text-brand-700 underline" href={directoriesHref(slug)}>
                directory
              </Link>{" "}
              this tenant trusts; the{" "}
              <Link className="text-brand-700 underline" href={dcrTesterHref(slug)}>
                DCR tester
              </Link>{" "}
              checks such a registration request.
            </p>
          )}
        </Card>
      </div>
    </>
  );
}
