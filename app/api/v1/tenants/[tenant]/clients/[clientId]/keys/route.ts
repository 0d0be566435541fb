import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { addClientKey } from "@/lib/clients/client-keys";

export const dynamic = "force-dynamic";

export const POST = handler(contract.addClientKey, async ({ actor, params, body }) => addClientKey(actor, params.tenant, params.clientId, body));
