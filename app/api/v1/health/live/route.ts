import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

export const GET = handler(contract.live, async () => Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } }));
