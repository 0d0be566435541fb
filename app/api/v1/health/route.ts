import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { health } from "@/lib/health";

export const dynamic = "force-dynamic";

export const GET = handler(contract.health, async () => {
  const result = await health();
  return Response.json(result, { status: result.database.reachable ? 200 : 503, headers: { "cache-control": "no-store" } });
});
