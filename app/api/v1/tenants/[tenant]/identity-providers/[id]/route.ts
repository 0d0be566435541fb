import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { deleteIdentityProvider, getIdentityProvider, updateIdentityProvider } from "@/lib/idps/identity-providers";

export const dynamic = "force-dynamic";

export const GET = handler(contract.getIdp, async ({ actor, params }) => getIdentityProvider(actor, params.tenant, params.id));
export const PATCH = handler(contract.updateIdp, async ({ actor, params, body, ifMatch }) =>
  updateIdentityProvider(actor, params.tenant, params.id, body, { expectedVersion: ifMatch }),
);
export const DELETE = handler(contract.deleteIdp, async ({ actor, params }) => {
  await deleteIdentityProvider(actor, params.tenant, params.id);
});
