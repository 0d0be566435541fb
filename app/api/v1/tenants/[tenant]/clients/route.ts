import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { createClient, listClients } from "@/lib/clients/clients";

export const dynamic = "force-dynamic";

export const GET = handler(contract.listClients, async ({ actor, params, query }) => listClients(actor, params.tenant, query));
export const POST = handler(contract.createClient, async ({ actor, params, body }) => createClient(actor, params.tenant, body));
