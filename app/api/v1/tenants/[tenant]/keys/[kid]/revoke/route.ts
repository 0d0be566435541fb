import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { revokeSigningKey } from "@/lib/keys/revoke-key";

export const dynamic = "force-dynamic";

export const POST = handler(contract.revokeKey, async ({ actor, params, body }) => revokeSigningKey(actor, params.tenant, params.kid, body));
