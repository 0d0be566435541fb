import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { createUser, listUsers } from "@/lib/auth/users";

export const dynamic = "force-dynamic";

export const GET = handler(contract.listUsers, async ({ actor }) => ({ items: await listUsers(actor), nextCursor: null }));
export const POST = handler(contract.createUser, async ({ actor, body }) => createUser(actor, body));
