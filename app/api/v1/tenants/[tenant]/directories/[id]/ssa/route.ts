import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { issueSandboxSsa } from "@/lib/directories/directories";

export const dynamic = "force-dynamic";

export const POST = handler(contract.issueSandboxSsa, async ({ actor, params, body }) => issueSandboxSsa(actor, params.tenant, params.id, body));
