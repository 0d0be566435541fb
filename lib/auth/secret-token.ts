import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * High-entropy bearer secrets (API tokens, invite links). They carry 256 bits of
 * randomness, so a fast SHA-256 is enough to store them: what matters is that the
 * database never holds the value itself.
 */
export function newSecretToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
