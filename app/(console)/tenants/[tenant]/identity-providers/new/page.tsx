import type { Metadata } from "next";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { getTenant, tenantIssuer } from "@/lib/tenants/tenants";
import { ASSERTION_ALGS, DEFAULT_ASSERTION_ALGS } from "@/lib/idps/schemas";
import { RoleRequired } from "@/components/auth/role-required";
import { Card, PageHeader } from "@/components/ui/page";
import { IdpForm } from "@/components/idps/idp-form";
import { idpsHref } from "@/components/idps/idp-labels";
import { decodeParam } from "../../keys/params";

interface Props {
  params: Promise<{ tenant: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Register an identity provider in ${decodeParam((await params).tenant)}` };
}

export default async function NewIdentityProviderPage({ params }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const tenant = await unlessNotFound(() => getTenant(actor, slug));
  if (!tenant) notFound();
  const header = (
    <>
      <Breadcrumb href={idpsHref(tenant.slug)}>Identity providers of {tenant.slug}</Breadcrumb>
      <PageHeader
        title="Register an identity provider"
        description="Its JWT assertions are exchanged for access tokens at this tenant's token endpoint (RFC 7523 jwt-bearer), verified with the keys you point at here."
      />
    </>
  );
  if (!hasRole(actor.role, "operator")) {
    return (
      <>
        {header}
        <RoleRequired role="operator" current={actor.role} what="register identity providers" />
      </>
    );
  }
  return (
    <>
      {header}
      <div className="max-w-3xl">
        <Card>
          <IdpForm slug={tenant.slug} tokenEndpoint={`${tenantIssuer(tenant.slug)}/oauth2/token`} algs={ASSERTION_ALGS} defaultAlgs={DEFAULT_ASSERTION_ALGS} />
        </Card>
      </div>
    </>
  );
}
