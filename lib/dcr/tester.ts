import { z } from "zod";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { notFound } from "@/lib/errors";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { validateRegistration } from "@/lib/dcr/validate-registration";

export const dcrTestInputSchema = z
  .object({ requestJwt: z.string().trim().min(1, "is required").max(65_536, "is larger than 64 KiB").describe("A registration request JWT, as a TPP would POST it") })
  .meta({ id: "DcrTestInput" });

export const dcrTestResultSchema = z
  .object({
    wouldRegister: z.boolean(),
    error: z.object({ error: z.string(), errorDescription: z.string() }).nullable().describe("What the registration endpoint would answer"),
    checks: z.array(z.object({ rule: z.string(), ok: z.boolean(), detail: z.string(), error: z.string() })),
    softwareStatement: z.record(z.string(), z.unknown()).nullable().describe("The SSA's decoded claims"),
  })
  .meta({ id: "DcrTestResult" });
export type DcrTestResult = z.infer<typeof dcrTestResultSchema>;

/**
 * The console's DCR tester: every rule a registration request passes or
 * fails, checked exactly as the registration endpoint checks it, without
 * registering anything or recording its jti.
 */
export async function testRegistrationRequest(actor: Actor, slug: string, input: unknown): Promise<DcrTestResult> {
  requireTenantRole(actor, "operator", slug);
  const { requestJwt } = parseInput(dcrTestInputSchema, input);
  const tenant = await db().tenant.findUnique({ where: { slug }, select: { id: true, profile: true } });
  if (!tenant) throw notFound(`tenant "${slug}"`);
  const result = await validateRegistration({ ...tenant, issuer: `${env().publicUrl}/${slug}` }, requestJwt);
  let ssa: Record<string, unknown> | null = null;
  try {
    const statement = (JSON.parse(Buffer.from(requestJwt.split(".")[1] ?? "", "base64url").toString()) as { software_statement?: string }).software_statement;
    ssa = statement ? (JSON.parse(Buffer.from(statement.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>) : null;
  } catch {
    ssa = null;
  }
  return {
    wouldRegister: result.failure === null,
    error: result.failure ? { error: result.failure.error, errorDescription: `${result.failure.rule}: ${result.failure.detail}` } : null,
    checks: result.checks,
    softwareStatement: ssa,
  };
}
