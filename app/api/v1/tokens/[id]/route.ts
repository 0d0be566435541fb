import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { revokeApiToken } from "@/lib/auth/api-tokens";

export const dynamic = "force-dynamic";

export const DELETE = handler(contract.revokeToken, async ({ actor, params }) => {
  await revokeApiToken(actor, params.id);
});
