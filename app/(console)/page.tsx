import type { Metadata } from "next";
import Link from "next/link";
import { requirePageActor } from "@/lib/auth/session";
import { listTenants } from "@/lib/tenants/tenants";
import { listAuditEvents } from "@/lib/audit/list-events";
import { PROFILES } from "@/lib/tenants/profiles";
import { getRotationStatus } from "@/lib/rotation/status";
import { SigningKeysCard } from "@/components/rotation/signing-keys-card";
import { AuditTable } from "@/components/audit/audit-table";
import { Card, EmptyState, PageHeader } from "@/components/ui/page";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<{ tenant?: string }> }) {
  const actor = await requirePageActor();
  const { tenant: wanted } = await searchParams;
  const tenants = await listTenants(actor);
  const tenant = tenants.find((t) => t.slug === wanted) ?? tenants.find((t) => t.slug === "default") ?? tenants[0];
  if (!tenant) {
    return (
      <>
        <PageHeader title="Dashboard" />
        <EmptyState title="No tenants yet">
          <Link className="text-brand-700 underline" href="/tenants">
            Create the first tenant
          </Link>
        </EmptyState>
      </>
    );
  }
  const [recent, rotation] = await Promise.all([listAuditEvents(actor, { tenant: tenant.slug, limit: 10 }), getRotationStatus(actor, tenant.slug)]);
  return (
    <>
      <PageHeader title={tenant.name} description={`Tenant ${tenant.slug} · ${PROFILES[tenant.profile].label}`} />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <div className="lg:row-span-2">
          <SigningKeysCard slug={tenant.slug} status={rotation} />
        </div>
        <Card title="Public endpoints">
          <dl className="space-y-2 text-sm">
            {[
              ["Issuer", tenant.issuer],
              ["Discovery", tenant.discoveryUrl],
              ["JWKS", tenant.jwksUri],
              ["Token endpoint", tenant.tokenEndpoint],
              ["Registration", tenant.registrationEndpoint],
            ].map(([label, value]) => (
              <div key={label} className="grid grid-cols-[8rem_1fr] gap-2">
                <dt className="text-slate-600">{label}</dt>
                <dd className="break-all font-mono text-xs text-slate-900">{value}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card title="Summary">
          <dl className="grid grid-cols-2 gap-4 text-sm">
            <div>
              <dt className="text-slate-600">Profile</dt>
              <dd className="font-medium">{PROFILES[tenant.profile].label}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Signing algorithms</dt>
              <dd className="font-medium">{PROFILES[tenant.profile].signingAlgs.join(", ")}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Created</dt>
              <dd className="font-medium">{tenant.createdAt.slice(0, 10)}</dd>
            </div>
          </dl>
        </Card>
      </div>
      <div className="mt-8">
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-lg font-semibold">Recent activity</h2>
          <Link className="text-sm text-brand-700 underline" href={`/audit?tenant=${tenant.slug}`}>
            Full audit log
          </Link>
        </div>
        {recent.items.length > 0 ? (
          <AuditTable events={recent.items} caption={`Recent audit events of tenant ${tenant.slug}`} />
        ) : (
          <EmptyState title="No activity on this tenant yet" />
        )}
      </div>
    </>
  );
}
