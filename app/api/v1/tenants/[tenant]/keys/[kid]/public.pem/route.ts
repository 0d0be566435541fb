import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { getSigningKeyPublicFiles } from "@/lib/keys/list-keys";

export const dynamic = "force-dynamic";

export const GET = handler(contract.keyPublicPem, async ({ actor, params }) => {
  const files = await getSigningKeyPublicFiles(actor, params.tenant, params.kid);
  const safeName = params.kid.replace(/[^\w.-]/g, "_").slice(0, 80);
  return new Response(files.publicKeyPem, {
    headers: {
      "content-type": "application/x-pem-file",
      "content-disposition": `attachment; filename="${safeName}.public.pem"`,
      "cache-control": "no-store",
    },
  });
});
