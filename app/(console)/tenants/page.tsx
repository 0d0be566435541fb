import type { Metadata } from "next";
import { requirePageActor } from "@/lib/auth/session";
import { hasPlatformRole } from "@/lib/auth/roles";
import { listTenants } from "@/lib/tenants/tenants";
import { CreateTenantForm } from "@/components/tenants/create-tenant-form";
import { TenantTable } from "@/components/tenants/tenant-table";
import { Card, EmptyState, PageHeader } from "@/components/ui/page";

export const metadata: Metadata = { title: "Tenants" };

export default async function TenantsPage() {
  const actor = await requirePageActor();
  const tenants = await listTenants(actor);
  const isAdmin = hasPlatformRole(actor, "admin");
  return (
    <>
      <PageHeader title="Tenants" description="Each tenant is one authorization server, with its own issuer URL, signing keys and clients." />
      <section aria-labelledby="tenant-list-heading">
        <h2 id="tenant-list-heading" className="sr-only">
          All tenants
        </h2>
        {tenants.length > 0 ? (
          <TenantTable tenants={tenants} />
        ) : (
          <EmptyState title="No tenants yet">{isAdmin ? "Create the first one with the form below." : "An admin can create the first one."}</EmptyState>
        )}
      </section>
      {isAdmin ? (
        <div className="mt-8 max-w-xl">
          <Card title="New tenant">
            <CreateTenantForm />
          </Card>
        </div>
      ) : null}
    </>
  );
}
