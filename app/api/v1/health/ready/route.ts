import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { readiness } from "@/lib/health";

export const dynamic = "force-dynamic";

export const GET = handler(contract.ready, async () => {
  const result = await readiness();
  return Response.json(result, { status: result.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
});
