import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { addSigningKey } from "@/lib/keys/add-key";
import { listSigningKeys } from "@/lib/keys/list-keys";

export const dynamic = "force-dynamic";

export const GET = handler(contract.listKeys, async ({ actor, params, query }) => ({
  items: await listSigningKeys(actor, params.tenant, query),
  nextCursor: null,
}));
export const POST = handler(contract.addKey, async ({ actor, params, body }) => addSigningKey(actor, params.tenant, body));
