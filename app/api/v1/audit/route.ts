import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { listAuditEvents } from "@/lib/audit/list-events";

export const dynamic = "force-dynamic";

export const GET = handler(contract.listAudit, async ({ actor, query }) => listAuditEvents(actor, query));
