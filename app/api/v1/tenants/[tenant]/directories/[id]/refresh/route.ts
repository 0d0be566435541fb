import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { refreshDirectoryKeys } from "@/lib/directories/directories";

export const dynamic = "force-dynamic";

export const POST = handler(contract.refreshDirectory, async ({ actor, params }) => refreshDirectoryKeys(actor, params.tenant, params.id));
