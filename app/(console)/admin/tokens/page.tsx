import type { Metadata } from "next";
import { requirePageActor } from "@/lib/auth/session";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { unlessForbidden } from "@/lib/errors";
import { listTenants } from "@/lib/tenants/tenants";
import { RoleRequired } from "@/components/auth/role-required";
import { Card, EmptyState, PageHeader } from "@/components/ui/page";
import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { TokensTable } from "@/components/tokens/tokens-table";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

const DESCRIPTION = "Bearer tokens for the admin REST API and scripts. Each acts with its own role; revoking one stops it at once.";

export default async function TokensPage() {
  const actor = await requirePageActor();
  const tokens = await unlessForbidden(() => listApiTokens(actor));
  if (!tokens) {
    return (
      <>
        <PageHeader title="API tokens" description={DESCRIPTION} />
        <RoleRequired role="admin" current={actor.role} what="see and manage API tokens" scopedTo={actor.tenants} />
      </>
    );
  }
  const tenantSlugs = (await listTenants(actor)).map((t) => t.slug);
  return (
    <>
      <PageHeader title="API tokens" description={DESCRIPTION} />
      <div className="space-y-8">
        <Card title="New token">
          <CreateTokenForm tenants={tenantSlugs} />
        </Card>
        <section aria-labelledby="tokens-heading">
          <h2 id="tokens-heading" className="mb-3 text-lg font-semibold">
            All tokens
          </h2>
          {tokens.length > 0 ? <TokensTable tokens={tokens} /> : <EmptyState title="No API tokens yet" />}
        </section>
      </div>
    </>
  );
}
