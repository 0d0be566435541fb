import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { exportAuditCsv } from "@/lib/audit/export-csv";

export const dynamic = "force-dynamic";

export const GET = handler(contract.exportAudit, async ({ actor, query }) => {
  const rows = exportAuditCsv(actor, query);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await rows.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="keyward-audit-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
});
