import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { retireSigningKey } from "@/lib/keys/retire-key";

export const dynamic = "force-dynamic";

export const POST = handler(contract.retireKey, async ({ actor, params }) => retireSigningKey(actor, params.tenant, params.kid));
