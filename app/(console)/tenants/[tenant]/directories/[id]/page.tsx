import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { getDirectory } from "@/lib/directories/directories";
import { summarizeKeys } from "@/lib/idps/idp-keys";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader, Time } from "@/components/ui/page";
import { DetailRow } from "@/components/keys/certificate-details";
import { DirectoryControls } from "@/components/directories/directory-controls";
import { DirectoryHealth } from "@/components/directories/directory-health";
import { DirectoryKeysTable } from "@/components/directories/directory-keys-table";
import { IssueSsaForm } from "@/components/directories/issue-ssa-form";
import { TestDirectoryKeys } from "@/components/directories/test-directory-keys";
import { dcrTesterHref, directoriesHref, keySourceLabel } from "@/components/directories/directory-labels";
import { clientsHref } from "@/components/clients/client-labels";
import { RoleRequired } from "@/components/auth/role-required";
import { decodeParam } from "../../keys/params";

interface Props {
  params: Promise<{ tenant: string; id: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Directory of ${decodeParam((await params).tenant)}` };
}

export default async function DirectoryPage({ params }: Props) {
  const actor = await requirePageActor();
  const raw = await params;
  const slug = decodeParam(raw.tenant);
  const id = decodeParam(raw.id);
  const directory = await unlessNotFound(() => getDirectory(actor, slug, id));
  if (!directory) notFound();
  const canChange = hasRole(actor.role, "operator");
  const tenantPath = `/tenants/${encodeURIComponent(slug)}`;
  const sandbox = directory.kind === "sandbox";

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex flex-wrap gap-x-2 text-sm">
        <Link href={tenantPath} className="text-brand-700 underline">
          Tenant {slug}
        </Link>
        <span aria-hidden="true" className="text-slate-600">
          /
        </span>
        <Link href={directoriesHref(slug)} className="text-brand-700 underline">
          Directories
        </Link>
      </nav>
      <PageHeader
        title={directory.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>Directory</span>
            <code className="break-all font-mono text-sm text-slate-900" data-testid="directory-issuer">
              {directory.issuer}
            </code>
            <Badge tone={directory.environment === "production" ? "amber" : "neutral"}>{directory.environment}</Badge>
            {sandbox ? <Badge tone="blue">sandbox, run by Keyward</Badge> : null}
          </span>
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <Card title="Details">
          <dl className="space-y-2 text-sm">
            <DetailRow label="Name">{directory.name}</DetailRow>
            <DetailRow label="Issuer (iss)">
              <span className="break-all font-mono text-xs">{directory.issuer}</span>
            </DetailRow>
            <DetailRow label="Environment">{directory.environment}</DetailRow>
            <DetailRow label="Key source">{keySourceLabel(directory)}</DetailRow>
            {directory.jwksUri ? (
              <DetailRow label="JWKS URL">
                <span className="break-all font-mono text-xs">{directory.jwksUri}</span>
              </DetailRow>
            ) : null}
            <DetailRow label="Created">
              <Time value={directory.createdAt} /> <span className="text-slate-600">by {directory.createdBy}</span>
            </DetailRow>
          </dl>
          <p className="mt-4 text-sm text-slate-600">
            Clients registered with its software statements are in the{" "}
            <Link className="text-brand-700 underline" href={`${clientsHref(slug)}?registeredVia=dcr`}>
              client list, filtered by DCR
            </Link>
            ; the{" "}
            <Link className="text-brand-700 underline" href={dcrTesterHref(slug)}>
              DCR tester
            </Link>{" "}
            checks a registration request against every rule.
          </p>
          {canChange ? (
            <div className="mt-4 border-t border-slate-200 pt-4">
              <DirectoryControls slug={slug} id={directory.id} name={directory.name} issuer={directory.issuer} />
            </div>
          ) : null}
        </Card>
        <Card title={directory.jwksUri ? "Keys and fetch health" : "Keys"}>
          <div className="space-y-4">
            {directory.health ? (
              <DirectoryHealth health={directory.health} />
            ) : (
              <DirectoryKeysTable keys={summarizeKeys(directory.jwks?.keys ?? [])} caption="Keys of this directory" />
            )}
            {canChange ? <TestDirectoryKeys slug={slug} id={directory.id} /> : null}
          </div>
        </Card>
      </div>
      {sandbox ? (
        <div className="mt-6">
          <Card title="Issue a test software statement">
            <p className="mb-4 text-sm text-slate-600">
              A software statement shaped like the Open Banking directory&apos;s, signed with this sandbox directory&apos;s key, for a TPP to register
              with at this tenant&apos;s registration endpoint.
            </p>
            {canChange ? <IssueSsaForm slug={slug} id={directory.id} /> : <RoleRequired role="operator" current={actor.role} what="issue software statements" />}
          </Card>
        </div>
      ) : null}
    </>
  );
}
