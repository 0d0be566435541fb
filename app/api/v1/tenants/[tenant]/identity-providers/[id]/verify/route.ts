import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { verifyJwtWithIdentityProvider } from "@/lib/idps/idp-keys";

export const dynamic = "force-dynamic";

export const POST = handler(contract.verifyIdpJwt, async ({ actor, params, body }) => verifyJwtWithIdentityProvider(actor, params.tenant, params.id, body));
