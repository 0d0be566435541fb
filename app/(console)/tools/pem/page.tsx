import type { Metadata } from "next";
import { requirePageActor } from "@/lib/auth/session";
import { SIGNING_ALG_VALUES } from "@/lib/keys/schemas";
import { Card, PageHeader } from "@/components/ui/page";
import { PemToJwkForm } from "@/components/keys/pem-to-jwk-form";

export const metadata: Metadata = { title: "Convert a certificate to a JWK" };
export const dynamic = "force-dynamic";

export default async function PemToJwkPage() {
  // The console shell signs in; this checks again, as every page does.
  await requirePageActor();
  return (
    <>
      <PageHeader
        title="Convert a certificate to a JWK"
        description="Paste or drop a PEM certificate (a chain is fine) to get its public JWK with x5c, x5t and x5t#S256, the way the authorization server's configuration and relying parties expect it. It is converted here, on this server, and nothing is stored."
      />
      <div className="max-w-3xl">
        <Card>
          <PemToJwkForm algs={[...SIGNING_ALG_VALUES]} />
        </Card>
      </div>
    </>
  );
}
