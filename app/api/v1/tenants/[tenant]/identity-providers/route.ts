import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { createIdentityProvider, listIdentityProviders } from "@/lib/idps/identity-providers";

export const dynamic = "force-dynamic";

export const GET = handler(contract.listIdps, async ({ actor, params }) => ({ items: await listIdentityProviders(actor, params.tenant), nextCursor: null }));
export const POST = handler(contract.createIdp, async ({ actor, params, body }) => createIdentityProvider(actor, params.tenant, body));
