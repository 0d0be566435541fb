import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { removeClientKey } from "@/lib/clients/client-keys";

export const dynamic = "force-dynamic";

export const DELETE = handler(contract.removeClientKey, async ({ actor, params }) => removeClientKey(actor, params.tenant, params.clientId, params.kid));
