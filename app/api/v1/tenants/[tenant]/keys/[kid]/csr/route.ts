import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { createSigningKeyCsr } from "@/lib/keys/csr";

export const dynamic = "force-dynamic";

export const POST = handler(contract.keyCsr, async ({ actor, params, body }) => createSigningKeyCsr(actor, params.tenant, params.kid, body));
