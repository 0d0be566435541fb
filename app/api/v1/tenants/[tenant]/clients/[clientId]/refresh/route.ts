import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { refreshClientKeys } from "@/lib/clients/client-keys";

export const dynamic = "force-dynamic";

export const POST = handler(contract.refreshClientKeys, async ({ actor, params }) => refreshClientKeys(actor, params.tenant, params.clientId));
