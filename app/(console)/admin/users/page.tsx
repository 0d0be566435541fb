import type { Metadata } from "next";
import { requirePageActor } from "@/lib/auth/session";
import { listUsers } from "@/lib/auth/users";
import { unlessForbidden } from "@/lib/errors";
import { listTenants } from "@/lib/tenants/tenants";
import { RoleRequired } from "@/components/auth/role-required";
import { Card, EmptyState, PageHeader } from "@/components/ui/page";
import { CreateUserForm } from "@/components/users/create-user-form";
import { UsersTable } from "@/components/users/users-table";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

const DESCRIPTION = "People who can sign in to the console, and what their role lets them do.";

export default async function UsersPage() {
  const actor = await requirePageActor();
  const users = await unlessForbidden(() => listUsers(actor));
  if (!users) {
    return (
      <>
        <PageHeader title="Users" description={DESCRIPTION} />
        <RoleRequired role="admin" current={actor.role} what="see and manage users" scopedTo={actor.tenants} />
      </>
    );
  }
  const tenantSlugs = (await listTenants(actor)).map((t) => t.slug);
  return (
    <>
      <PageHeader title="Users" description={DESCRIPTION} />
      <div className="space-y-8">
        <Card title="New user">
          <CreateUserForm tenants={tenantSlugs} />
        </Card>
        <section aria-labelledby="users-heading">
          <h2 id="users-heading" className="mb-3 text-lg font-semibold">
            All users
          </h2>
          {users.length > 0 ? (
            <UsersTable users={users} currentUserId={actor.type === "user" ? actor.id : undefined} tenants={tenantSlugs} />
          ) : (
            <EmptyState title="No users yet" />
          )}
        </section>
      </div>
    </>
  );
}
