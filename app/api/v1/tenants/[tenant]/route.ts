import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { getTenant, updateTenant } from "@/lib/tenants/tenants";

export const dynamic = "force-dynamic";

export const GET = handler(contract.getTenant, async ({ actor, params }) => getTenant(actor, params.tenant));
export const PATCH = handler(contract.updateTenant, async ({ actor, params, body, ifMatch }) => updateTenant(actor, params.tenant, body, { expectedVersion: ifMatch }));
