import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { activateSigningKey } from "@/lib/keys/activate-key";

export const dynamic = "force-dynamic";

export const POST = handler(contract.activateKey, async ({ actor, params, body }) => activateSigningKey(actor, params.tenant, params.kid, body));
