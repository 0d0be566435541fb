import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { rotateNow } from "@/lib/rotation/rotate";

export const dynamic = "force-dynamic";

export const POST = handler(contract.rotate, async ({ actor, params, body }) => rotateNow(actor, params.tenant, body));
