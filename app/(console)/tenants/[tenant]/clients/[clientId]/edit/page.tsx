import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { getClient } from "@/lib/clients/clients";
import { getTenant } from "@/lib/tenants/tenants";
import { dcrRulesOf } from "@/lib/tenants/profiles";
import { RoleRequired } from "@/components/auth/role-required";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { Card, PageHeader } from "@/components/ui/page";
import { EditClientForm } from "@/components/clients/edit-client-form";
import { clientHref } from "@/components/clients/client-labels";
import { decodeParam } from "../../../keys/params";

interface Props {
  params: Promise<{ tenant: string; clientId: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Edit client ${decodeParam((await params).clientId)}` };
}

export default async function EditClientPage({ params }: Props) {
  const actor = await requirePageActor();
  const raw = await params;
  const slug = decodeParam(raw.tenant);
  const clientId = decodeParam(raw.clientId);
  const [tenant, client] = await Promise.all([unlessNotFound(() => getTenant(actor, slug)), unlessNotFound(() => getClient(actor, slug, clientId))]);
  if (!tenant || !client) notFound();
  const header = (
    <>
      <Breadcrumb href={clientHref(slug, client.clientId)}>Client {client.name}</Breadcrumb>
      <PageHeader title={`Edit ${client.name}`} description="Changes apply at the token endpoint at once, and are audited with the values before and after." />
    </>
  );
  if (!hasRole(actor.role, "operator")) {
    return (
      <>
        {header}
        <RoleRequired role="operator" current={actor.role} what="edit clients" />
      </>
    );
  }
  return (
    <>
      {header}
      <div className="max-w-3xl">
        <Card>
          <EditClientForm slug={slug} client={client} algs={dcrRulesOf(tenant.profile).algs} />
        </Card>
      </div>
    </>
  );
}
