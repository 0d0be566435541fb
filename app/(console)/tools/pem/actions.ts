"use server";

import { formObject, runAction, type ActionResult } from "@/lib/actions/action-result";
import { certificateToJwk } from "@/lib/keys/certificate-to-jwk";
import type { CertificateFields } from "@/components/keys/certificate-details";

export type PemToJwkData = { jwk: Record<string, unknown>; certificate: CertificateFields; warnings: string[] };

function certificateFields(c: CertificateFields): CertificateFields {
  return {
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    sans: c.sans,
    keyUsage: c.keyUsage,
    extendedKeyUsage: c.extendedKeyUsage,
    sha1Fingerprint: c.sha1Fingerprint,
    sha256Fingerprint: c.sha256Fingerprint,
    selfSigned: c.selfSigned,
  };
}

/** A certificate (or chain) as a public JWK; nothing is stored. */
export async function pemToJwkAction(_prev: ActionResult<PemToJwkData>, form: FormData): Promise<ActionResult<PemToJwkData>> {
  return runAction(async (actor) => {
    const strategy = formObject(form, ["kidStrategy"]).kidStrategy;
    const result = await certificateToJwk(actor, {
      // An empty certificate goes in so the service answers "is required".
      certificatePem: String(form.get("certificatePem") ?? ""),
      ...formObject(form, ["kidStrategy", "alg"]),
      // The kid field only counts with the "given" strategy it belongs to.
      ...(strategy === "given" ? formObject(form, ["kid"]) : {}),
    });
    return {
      message: `Converted; kid ${String(result.jwk.kid ?? "")}`,
      data: { jwk: result.jwk, certificate: certificateFields(result.certificate), warnings: result.warnings },
    };
  });
}
