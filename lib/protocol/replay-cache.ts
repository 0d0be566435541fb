import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { isUniqueViolation } from "@/lib/db/errors";

/**
 * Records a jti as used until the JWT that carried it expires; answers false
 * when it was used before. Backed by the database, so it holds across
 * instances; a unique key decides races.
 */
function jtiKey(issuer: string, jti: string): string {
  return createHash("sha256").update(`${issuer}\u0000${jti}`).digest("hex");
}

/** Whether a jti is recorded as used and its JWT has not expired (a dry run: records nothing). */
export async function jtiSeen(issuer: string, jti: string): Promise<boolean> {
  const row = await db().usedJti.findUnique({ where: { key: jtiKey(issuer, jti) } });
  return row !== null && row.expiresAt >= new Date();
}

export async function consumeJti(issuer: string, jti: string, expiresAtSeconds: number): Promise<boolean> {
  const key = jtiKey(issuer, jti);
  // Now and then, forget jtis whose JWTs have expired anyway.
  if (Math.random() < 0.01) await db().usedJti.deleteMany({ where: { expiresAt: { lt: new Date() } } }).catch(() => {});
  try {
    await db().usedJti.create({ data: { key, expiresAt: new Date(expiresAtSeconds * 1000) } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) {
      const row = await db().usedJti.findUnique({ where: { key } });
      // A jti whose earlier JWT has expired may be reused by a new one.
      if (row && row.expiresAt < new Date()) {
        await db().usedJti.update({ where: { key }, data: { expiresAt: new Date(expiresAtSeconds * 1000) } });
        return true;
      }
      return false;
    }
    throw error;
  }
}
