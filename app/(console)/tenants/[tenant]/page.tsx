import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { getTenant } from "@/lib/tenants/tenants";
import { PROFILES } from "@/lib/tenants/profiles";
import { EditTenantForm } from "@/components/tenants/edit-tenant-form";
import { TenantEndpoints } from "@/components/tenants/tenant-endpoints";
import { Card, PageHeader, Time } from "@/components/ui/page";
import { decodeParam } from "@/app/(console)/tenants/[tenant]/keys/params";

interface Props {
  params: Promise<{ tenant: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant } = await params;
  return { title: `Tenant ${decodeParam(tenant)}` };
}

export default async function TenantPage({ params }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const tenant = await unlessNotFound(() => getTenant(actor, slug));
  if (!tenant) notFound();
  const profile = PROFILES[tenant.profile];
  return (
    <>
      <PageHeader
        title={tenant.name}
        description={`Tenant ${tenant.slug} · ${profile.label}`}
        actions={
          <Link className="text-sm text-brand-700 underline" href={`/audit?tenant=${encodeURIComponent(tenant.slug)}`}>
            Audit log of this tenant
          </Link>
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <Card
          title="Public endpoints"
          actions={
            <span className="flex flex-wrap justify-end gap-x-4 gap-y-1">
              <Link className="text-sm font-medium text-brand-700 underline" href={`/tenants/${encodeURIComponent(tenant.slug)}/keys`}>
                Signing keys
              </Link>
              <Link className="text-sm font-medium text-brand-700 underline" href={`/tenants/${encodeURIComponent(tenant.slug)}/rotation-policy`}>
                Rotation policy
              </Link>
              <Link className="text-sm font-medium text-brand-700 underline" href={`/tenants/${encodeURIComponent(tenant.slug)}/clients`}>
                Clients
              </Link>
              <Link className="text-sm font-medium text-brand-700 underline" href={`/tenants/${encodeURIComponent(tenant.slug)}/directories`}>
                Directories
              </Link>
              <Link className="text-sm font-medium text-brand-700 underline" href={`/tenants/${encodeURIComponent(tenant.slug)}/dcr-tester`}>
                DCR tester
              </Link>
              <Link className="text-sm font-medium text-brand-700 underline" href={`/tenants/${encodeURIComponent(tenant.slug)}/config`}>
                Configuration
              </Link>
              <Link className="text-sm font-medium text-brand-700 underline" href={`/tenants/${encodeURIComponent(tenant.slug)}/identity-providers`}>
                Identity providers
              </Link>
            </span>
          }
        >
          <TenantEndpoints tenant={tenant} />
        </Card>
        <Card title="Details">
          <dl className="grid grid-cols-2 gap-4 text-sm">
            <div>
              <dt className="text-slate-600">Name</dt>
              <dd className="font-medium">{tenant.name}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Slug</dt>
              <dd className="font-mono text-xs font-medium">{tenant.slug}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Profile</dt>
              <dd className="font-medium">{profile.label}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Signing algorithms</dt>
              <dd className="font-medium">{profile.signingAlgs.join(", ")}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Created</dt>
              <dd className="font-medium">
                <Time value={tenant.createdAt} />
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">Last changed</dt>
              <dd className="font-medium">
                <Time value={tenant.updatedAt} />
              </dd>
            </div>
          </dl>
        </Card>
        {hasRole(actor.role, "admin") ? (
          <Card title="Edit tenant">
            <p className="mb-4 text-sm text-slate-600">The slug cannot change: it is part of the issuer URL that relying parties know.</p>
            <EditTenantForm tenant={{ slug: tenant.slug, name: tenant.name, profile: tenant.profile, version: tenant.version }} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
