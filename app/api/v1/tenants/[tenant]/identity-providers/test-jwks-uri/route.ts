import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { testJwksUri } from "@/lib/idps/idp-keys";

export const dynamic = "force-dynamic";

export const POST = handler(contract.testJwksUri, async ({ actor, body }) => testJwksUri(actor, body));
