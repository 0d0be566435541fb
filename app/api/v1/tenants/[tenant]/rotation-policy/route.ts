import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { getRotationPolicy, updateRotationPolicy } from "@/lib/rotation/policy";

export const dynamic = "force-dynamic";

export const GET = handler(contract.getRotationPolicy, async ({ actor, params }) => getRotationPolicy(actor, params.tenant));
export const PUT = handler(contract.updateRotationPolicy, async ({ actor, params, body, ifMatch }) =>
  updateRotationPolicy(actor, params.tenant, body, { expectedVersion: ifMatch }),
);
