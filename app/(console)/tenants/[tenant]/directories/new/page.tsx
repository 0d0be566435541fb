import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { getTenant } from "@/lib/tenants/tenants";
import { RoleRequired } from "@/components/auth/role-required";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { Card, PageHeader } from "@/components/ui/page";
import { CreateDirectoryForm } from "@/components/directories/create-directory-form";
import { directoriesHref } from "@/components/directories/directory-labels";
import { decodeParam } from "../../keys/params";

interface Props {
  params: Promise<{ tenant: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `New directory in ${decodeParam((await params).tenant)}` };
}

export default async function NewDirectoryPage({ params }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const tenant = await unlessNotFound(() => getTenant(actor, slug));
  if (!tenant) notFound();
  const header = (
    <>
      <Breadcrumb href={directoriesHref(tenant.slug)}>Directories of {tenant.slug}</Breadcrumb>
      <PageHeader
        title="Add a directory"
        description="A directory whose software statements this tenant trusts, such as the Open Banking directory: one per issuer and environment (sandbox and production have their own keys)."
      />
    </>
  );
  if (!hasRole(actor.role, "operator")) {
    return (
      <>
        {header}
        <RoleRequired role="operator" current={actor.role} what="add directories" />
      </>
    );
  }
  return (
    <>
      {header}
      <div className="max-w-3xl">
        <Card>
          <CreateDirectoryForm slug={tenant.slug} />
        </Card>
      </div>
    </>
  );
}
