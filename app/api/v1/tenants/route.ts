import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { createTenant, listTenants } from "@/lib/tenants/tenants";

export const dynamic = "force-dynamic";

export const GET = handler(contract.listTenants, async ({ actor }) => ({ items: await listTenants(actor), nextCursor: null }));
export const POST = handler(contract.createTenant, async ({ actor, body }) => createTenant(actor, body));
