import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { deleteDirectory, getDirectory } from "@/lib/directories/directories";

export const dynamic = "force-dynamic";

export const GET = handler(contract.getDirectory, async ({ actor, params }) => getDirectory(actor, params.tenant, params.id));
export const DELETE = handler(contract.deleteDirectory, async ({ actor, params }) => deleteDirectory(actor, params.tenant, params.id));
