import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { exportTenantConfig } from "@/lib/tenants/config-export";
import { importTenantConfig } from "@/lib/tenants/config-import";

export const dynamic = "force-dynamic";

export const GET = handler(contract.exportConfig, async ({ actor, params }) => exportTenantConfig(actor, params.tenant));
export const PUT = handler(contract.importConfig, async ({ actor, params, query, body }) =>
  importTenantConfig(actor, params.tenant, body, { dryRun: query.dryRun === "true" }),
);
