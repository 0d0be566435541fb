import type { Metadata } from "next";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { getTenant } from "@/lib/tenants/tenants";
import { PROFILES } from "@/lib/tenants/profiles";
import { RoleRequired } from "@/components/auth/role-required";
import { Card, PageHeader } from "@/components/ui/page";
import { AddKeyForms } from "@/components/keys/add-key-forms";
import { algsPs256First } from "@/components/keys/key-labels";
import { decodeParam } from "../params";

interface Props {
  params: Promise<{ tenant: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Add a signing key to ${decodeParam((await params).tenant)}` };
}

export default async function NewKeyPage({ params }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const tenant = await unlessNotFound(() => getTenant(actor, slug));
  if (!tenant) notFound();
  const profile = PROFILES[tenant.profile];
  const keysPath = `/tenants/${encodeURIComponent(slug)}/keys`;
  const header = (
    <>
      <Breadcrumb href={keysPath}>Signing keys of {tenant.slug}</Breadcrumb>
      <PageHeader
        title="Add a signing key"
        description={`Upload the bank's certificate and key, paste a private JWK, or generate a key. ${profile.label} allows ${profile.signingAlgs.join(", ")}. Preview first: nothing is stored until you save.`}
      />
    </>
  );
  if (!hasRole(actor.role, "operator")) {
    return (
      <>
        {header}
        <RoleRequired role="operator" current={actor.role} what="add signing keys" />
      </>
    );
  }
  return (
    <>
      {header}
      <div className="max-w-3xl">
        <Card>
          <AddKeyForms slug={tenant.slug} algs={algsPs256First(profile.signingAlgs)} />
        </Card>
      </div>
    </>
  );
}
