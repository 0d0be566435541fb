import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { previewSigningKey } from "@/lib/keys/add-key";

export const dynamic = "force-dynamic";

export const POST = handler(contract.previewKey, async ({ actor, params, body }) => previewSigningKey(actor, params.tenant, body));
