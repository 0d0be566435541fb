import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { getSigningKey } from "@/lib/keys/list-keys";
import { removeSigningKey } from "@/lib/keys/remove-key";

export const dynamic = "force-dynamic";

export const GET = handler(contract.getKey, async ({ actor, params }) => getSigningKey(actor, params.tenant, params.kid));
export const DELETE = handler(contract.removeKey, async ({ actor, params }) => removeSigningKey(actor, params.tenant, params.kid));
