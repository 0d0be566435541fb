import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { deleteClient, getClient, updateClient } from "@/lib/clients/clients";

export const dynamic = "force-dynamic";

export const GET = handler(contract.getClient, async ({ actor, params }) => getClient(actor, params.tenant, params.clientId));
export const PATCH = handler(contract.updateClient, async ({ actor, params, body, ifMatch }) => updateClient(actor, params.tenant, params.clientId, body, { expectedVersion: ifMatch }));
export const DELETE = handler(contract.deleteClient, async ({ actor, params }) => deleteClient(actor, params.tenant, params.clientId));
