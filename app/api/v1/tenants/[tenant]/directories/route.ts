import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { createDirectory, listDirectories } from "@/lib/directories/directories";

export const dynamic = "force-dynamic";

export const GET = handler(contract.listDirectories, async ({ actor, params }) => ({ items: await listDirectories(actor, params.tenant), nextCursor: null }));
export const POST = handler(contract.createDirectory, async ({ actor, params, body }) => createDirectory(actor, params.tenant, body));
