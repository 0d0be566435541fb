import { createPrivateKey } from "node:crypto";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { unsealToString } from "@/lib/crypto/seal";
import { createCsr } from "@/lib/crypto/create-csr";
import type { SigningAlg } from "@/lib/crypto/signing-algorithms";
import { csrRequestSchema } from "@/lib/keys/schemas";
import { keyForUpdate, signingKeyAad, stateConflict } from "@/lib/keys/key-row";
import { tenantForUpdate } from "@/lib/keys/tenant-scope";
import { keyInputToAppError } from "@/lib/keys/add-key";

/**
 * A PKCS#10 request for the key, signed by it, so the admin can have the
 * directory issue its certificate. The latest request is kept with the key.
 */
export async function createSigningKeyCsr(actor: Actor, slug: string, kid: string, input: unknown): Promise<{ csrPem: string }> {
  requireTenantRole(actor, "operator", slug);
  const data = parseInput(csrRequestSchema, input);
  return db().$transaction(async (tx) => {
    const tenant = await tenantForUpdate(tx, slug);
    const key = await keyForUpdate(tx, tenant.id, kid);
    if (!key.privateKeySealed) throw stateConflict(key, "its private key is gone");
    const privateKey = createPrivateKey(unsealToString(key.privateKeySealed, env().kek, signingKeyAad(tenant.id, kid)));
    let csrPem: string;
    try {
      csrPem = await createCsr({ privateKey, alg: key.alg as SigningAlg, subject: data.subject, sans: data.sans });
    } catch (error) {
      throw keyInputToAppError(error);
    }
    await tx.signingKey.update({ where: { id: key.id }, data: { csrPem } });
    await recordAudit(tx, actor, { action: "key.csr", target: { type: "signing_key", id: kid }, tenantSlug: slug, after: { subject: data.subject, sans: data.sans ?? [] } });
    return { csrPem };
  });
}
