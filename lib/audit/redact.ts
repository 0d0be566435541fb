/**
 * Audit summaries are built by the services from public fields; this is the net
 * under them. Any member whose name says it holds a secret, or that is a private
 * JWK member, is replaced before the summary is stored.
 */
const SECRET_NAME = /(pass(word|phrase)?|secret|token|private|credential|^kek$|^d$|^p$|^q$|^dp$|^dq$|^qi$|^k$|^oth$|hash)/i;

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8) return "[truncated]";
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redactSecrets(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = SECRET_NAME.test(key) ? "[redacted]" : redactSecrets(v, depth + 1);
    }
    return out;
  }
  if (typeof value === "string") {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return "[redacted]";
    return value.length > 2000 ? `${value.slice(0, 2000)}…` : value;
  }
  return value;
}
