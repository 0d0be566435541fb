import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { attachSigningKeyCertificate } from "@/lib/keys/attach-certificate";

export const dynamic = "force-dynamic";

export const POST = handler(contract.attachCertificate, async ({ actor, params, body }) => attachSigningKeyCertificate(actor, params.tenant, params.kid, body));
