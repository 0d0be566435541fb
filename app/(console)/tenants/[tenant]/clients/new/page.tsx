import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { getTenant } from "@/lib/tenants/tenants";
import { dcrRulesOf } from "@/lib/tenants/profiles";
import { RoleRequired } from "@/components/auth/role-required";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { Card, PageHeader } from "@/components/ui/page";
import { CreateClientForm } from "@/components/clients/create-client-form";
import { clientsHref } from "@/components/clients/client-labels";
import { decodeParam } from "../../keys/params";

interface Props {
  params: Promise<{ tenant: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `New client in ${decodeParam((await params).tenant)}` };
}

export default async function NewClientPage({ params }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const tenant = await unlessNotFound(() => getTenant(actor, slug));
  if (!tenant) notFound();
  const header = (
    <>
      <Breadcrumb href={clientsHref(tenant.slug)}>Clients of {tenant.slug}</Breadcrumb>
      <PageHeader
        title="New client"
        description="A TPP client of this tenant's token endpoint: how it authenticates, which grants it may use, its redirect URIs and signing algorithms, and which scopes it may ask for."
      />
    </>
  );
  if (!hasRole(actor.role, "operator")) {
    return (
      <>
        {header}
        <RoleRequired role="operator" current={actor.role} what="create clients" />
      </>
    );
  }
  return (
    <>
      {header}
      <div className="max-w-3xl">
        <Card>
          <CreateClientForm tenant={tenant.slug} algs={dcrRulesOf(tenant.profile).algs} />
        </Card>
      </div>
    </>
  );
}
