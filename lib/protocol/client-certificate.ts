import { createHash, X509Certificate } from "node:crypto";

/**
 * The TPP's transport certificate, for `tls_client_auth` (RFC 8705): TLS ends
 * at the proxy in front of Keyward, which verifies the chain and forwards the
 * certificate in the `Client-Cert` header (RFC 9440: a structured-field byte
 * sequence, `:<base64 DER>:`). Only read when KEYWARD_TRUST_PROXY is on.
 */
export interface ClientCertificate {
  subject: string;
  notBefore: Date;
  notAfter: Date;
  /** base64url SHA-256 of the DER: the `x5t#S256` of a certificate-bound token's `cnf`. */
  thumbprintS256: string;
}

export class ClientCertificateError extends Error {}

/** Parses an RFC 9440 Client-Cert header value. */
export function parseClientCertHeader(value: string): ClientCertificate {
  const m = /^\s*:([A-Za-z0-9+/=]+):\s*$/.exec(value);
  if (!m) throw new ClientCertificateError("the Client-Cert header is not an RFC 9440 byte sequence (:<base64 DER>:)");
  const der = Buffer.from(m[1]!, "base64");
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    throw new ClientCertificateError("the Client-Cert header does not hold a readable X.509 certificate");
  }
  return {
    subject: cert.subject,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    thumbprintS256: createHash("sha256").update(der).digest("base64url"),
  };
}

/**
 * A distinguished name as a comparable list of `type=value` pairs: attribute
 * types upper-cased, values trimmed, separators (`,` or new lines, with or
 * without spaces) and order of the registered form tolerated only as far as
 * RFC 4514 allows — the sequence must match.
 */
export function normalizeDn(dn: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < dn.length; i++) {
    const ch = dn[i]!;
    if (ch === "\\" && i + 1 < dn.length) {
      current += ch + dn[++i];
    } else if (ch === "," || ch === "\n" || ch === "+") {
      if (current.trim()) parts.push(current.trim());
      current = "";
    } else {
      current += ch;
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts.map((p) => {
    const eq = p.indexOf("=");
    return eq < 0 ? p : `${p.slice(0, eq).trim().toUpperCase()}=${p.slice(eq + 1).trim()}`;
  });
}

/**
 * Whether a certificate's subject is the registered DN. Node prints the
 * subject most-significant RDN first (C=…, O=…, CN=…); the registered DN may
 * be in that order or in RFC 4514 order (CN first): both are accepted.
 */
export function subjectMatches(subject: string, registered: string): boolean {
  const have = normalizeDn(subject);
  const want = normalizeDn(registered);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  return same(have, want) || same(have, [...want].reverse());
}
