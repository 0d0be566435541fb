import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { requireRole, type Actor } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { parseCertificateChain } from "@/lib/crypto/parse-certificate-chain";
import { certificateDetails, validityProblems, type CertificateDetails } from "@/lib/crypto/certificate-details";
import { publicJwk, publicKeyJwk } from "@/lib/crypto/public-jwk";
import { deriveKid, KID_STRATEGIES } from "@/lib/crypto/kid";
import { chooseAlg, checkKeyStrength, SIGNING_ALGS } from "@/lib/crypto/signing-algorithms";
import { keyInputToAppError } from "@/lib/keys/add-key";

export const certificateToJwkSchema = z.object({
  certificatePem: z.string().min(1, "is required").max(200_000),
  kidStrategy: z.enum(KID_STRATEGIES).default("x5t"),
  kid: z.string().trim().max(256).optional(),
  alg: z.enum(SIGNING_ALGS).optional(),
});

/**
 * A certificate (or chain) as a public JWK with x5c, x5t and x5t#S256: the
 * conversion bank admins otherwise do on random websites. Nothing is stored.
 */
export async function certificateToJwk(
  actor: Actor,
  input: unknown,
): Promise<{ jwk: Record<string, unknown>; certificate: CertificateDetails; chainComplete: boolean; warnings: string[] }> {
  requireRole(actor, "viewer");
  const data = parseInput(certificateToJwkSchema, input);
  try {
    const chain = await parseCertificateChain(data.certificatePem, "certificatePem");
    const leaf = chain.certificates[0]!;
    const key = new X509Certificate(leaf).publicKey;
    checkKeyStrength(key, "certificatePem");
    const alg = chooseAlg(key, { requested: data.alg, allowed: SIGNING_ALGS, field: "alg" });
    const strategy = data.kid ? "given" : data.kidStrategy;
    const kid = await deriveKid({ strategy, jwk: publicKeyJwk(key), leafDer: leaf, given: data.kid });
    const certificate = certificateDetails(leaf);
    return {
      jwk: { ...publicJwk(key, { alg, kid, certificates: chain.certificates }) },
      certificate,
      chainComplete: chain.complete,
      warnings: [...chain.warnings, ...validityProblems(certificate, new Date())],
    };
  } catch (error) {
    throw keyInputToAppError(error);
  }
}
