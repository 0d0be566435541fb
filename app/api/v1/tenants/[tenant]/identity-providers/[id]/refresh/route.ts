import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { refreshIdentityProviderKeys } from "@/lib/idps/idp-keys";

export const dynamic = "force-dynamic";

export const POST = handler(contract.refreshIdp, async ({ actor, params }) => refreshIdentityProviderKeys(actor, params.tenant, params.id));
