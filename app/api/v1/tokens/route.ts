import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { createApiToken, listApiTokens } from "@/lib/auth/api-tokens";

export const dynamic = "force-dynamic";

export const GET = handler(contract.listTokens, async ({ actor }) => ({ items: await listApiTokens(actor), nextCursor: null }));
export const POST = handler(contract.createToken, async ({ actor, body }) => createApiToken(actor, body));
