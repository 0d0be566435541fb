import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { getUser, updateUser } from "@/lib/auth/users";

export const dynamic = "force-dynamic";

export const GET = handler(contract.getUser, async ({ actor, params }) => getUser(actor, params.id));
export const PATCH = handler(contract.updateUser, async ({ actor, params, body, ifMatch }) => updateUser(actor, params.id, body, { expectedVersion: ifMatch }));
