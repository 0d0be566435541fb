import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { getRotationStatus } from "@/lib/rotation/status";

export const dynamic = "force-dynamic";

export const GET = handler(contract.getRotation, async ({ actor, params }) => getRotationStatus(actor, params.tenant));
