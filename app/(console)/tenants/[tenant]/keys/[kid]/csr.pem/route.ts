import { sessionActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { getSigningKeyPublicFiles } from "@/lib/keys/list-keys";
import { decodeParam } from "../../params";

export const dynamic = "force-dynamic";

function text(status: number, body: string): Response {
  return new Response(`${body}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/** The key's latest CSR as a file, for the console's download link (the session is the credential). */
export async function GET(_request: Request, { params }: { params: Promise<{ tenant: string; kid: string }> }): Promise<Response> {
  const actor = await sessionActor();
  if (!actor) return text(401, "Sign in to download this file.");
  const raw = await params;
  const slug = decodeParam(raw.tenant);
  const kid = decodeParam(raw.kid);
  try {
    const { csrPem } = await getSigningKeyPublicFiles(actor, slug, kid);
    if (!csrPem) return text(404, "This key has no certificate signing request yet.");
    const safeName = kid.replace(/[^\w.-]/g, "_").slice(0, 80);
    return new Response(csrPem, {
      headers: {
        "content-type": "application/pkcs10",
        "content-disposition": `attachment; filename="${safeName}.csr.pem"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    if (isAppError(error)) return text(error.status, error.message);
    throw error;
  }
}
