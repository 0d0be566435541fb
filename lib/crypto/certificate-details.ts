/**
 * What an admin needs to know about a certificate, as plain JSON: names,
 * validity, SANs, key usages, fingerprints and the public key's type.
 *
 * Synchronous on purpose: key lists render details of stored chains, and
 * every part of this is local work (@peculiar/x509 for the structure,
 * node:crypto for hashes and the self-signature check).
 */
import "reflect-metadata";
import {
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  X509Certificate,
} from "@peculiar/x509";
import { createHash, createPublicKey, X509Certificate as NodeX509Certificate, type KeyObject } from "node:crypto";
import { formatDistinguishedName } from "./distinguished-name";
import { KeyInputError, type KeyInputField } from "./key-input-error";
import { keyDescription, type KeyDescription } from "./signing-algorithms";

/** A certificate's details, JSON-serialisable. */
export interface CertificateDetails {
  /** e.g. "C=GB, O=Bank plc, CN=signing.bank.example" */
  subject: string;
  issuer: string;
  /** Uppercase hex, as `openssl x509 -serial` prints it. */
  serialNumber: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  /** Typed like openssl: "DNS:bank.example", "URI:https://…", "email:…", "IP:10.0.0.1". */
  sans: string[];
  /** e.g. ["digitalSignature", "nonRepudiation"]; empty when the extension is absent. */
  keyUsage: string[];
  /** e.g. ["clientAuth"], or dotted OIDs for purposes without a short name. */
  extendedKeyUsage: string[];
  /** Uppercase hex pairs separated by colons, as `openssl x509 -fingerprint -sha1` prints them. */
  sha1Fingerprint: string;
  sha256Fingerprint: string;
  /** Issuer and subject are the same name and the certificate's own key verifies its signature. */
  selfSigned: boolean;
  publicKey: KeyDescription;
}

const SAN_PREFIXES: Record<string, string> = {
  dns: "DNS",
  email: "email",
  ip: "IP",
  url: "URI",
  dn: "DirName",
  id: "RID",
  guid: "GUID",
  upn: "UPN",
};

const EKU_NAMES = new Map<string, string>(Object.entries(ExtendedKeyUsage).map(([name, oid]) => [oid, name]));

const DAY_MS = 86_400_000;

/**
 * Reads the details of a DER certificate.
 *
 * @param field - the field to blame when the bytes are not a certificate.
 * @throws KeyInputError `not_a_certificate`, or `unsupported_key_type` when
 *   the certificate's key has no JWK form (DSA).
 * @example
 * const details = certificateDetails(chain.certificates[0]);
 * details.sha256Fingerprint; // "3A:7F:…" — compare with `openssl x509 -noout -fingerprint -sha256`
 * details.sans;              // ["DNS:signing.bank.example"]
 */
export function certificateDetails(der: Uint8Array, field: KeyInputField = "certificatePem"): CertificateDetails {
  const bytes = Buffer.from(der);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(bytes);
  } catch {
    throw new KeyInputError("not_a_certificate", `${field}: the data is not an X.509 certificate`, field);
  }
  const subjectDer = Buffer.from(cert.subjectName.toArrayBuffer());
  const issuerDer = Buffer.from(cert.issuerName.toArrayBuffer());
  const publicKey = spkiKey(cert);
  return {
    subject: formatDistinguishedName(subjectDer),
    issuer: formatDistinguishedName(issuerDer),
    serialNumber: cert.serialNumber.toUpperCase(),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    sans: subjectAltNames(cert),
    keyUsage: keyUsages(cert),
    extendedKeyUsage: extendedKeyUsages(cert),
    sha1Fingerprint: fingerprint(bytes, "sha1"),
    sha256Fingerprint: fingerprint(bytes, "sha256"),
    selfSigned: subjectDer.equals(issuerDer) && verifiesItself(bytes, publicKey),
    publicKey: keyDescription(publicKey, field),
  };
}

/**
 * Warnings about a certificate's validity window at `now`: "the certificate
 * expired on …", "the certificate is not valid before …", or "the
 * certificate expires in N days (…)" when fewer than `warnDays` days are
 * left. Empty when all is well.
 *
 * @example
 * validityProblems(details, new Date(), 30);
 * // ["the certificate expires in 12 days, on 2026-03-01T12:00:00.000Z"]
 */
export function validityProblems(
  details: Pick<CertificateDetails, "notBefore" | "notAfter">,
  now: Date = new Date(),
  warnDays = 30,
): string[] {
  const notBefore = new Date(details.notBefore).getTime();
  const notAfter = new Date(details.notAfter).getTime();
  const at = now.getTime();
  if (at > notAfter) return [`the certificate expired on ${details.notAfter}`];
  if (at < notBefore) return [`the certificate is not valid before ${details.notBefore}`];
  const left = notAfter - at;
  if (left < warnDays * DAY_MS) {
    const days = Math.ceil(left / DAY_MS);
    return [`the certificate expires in ${days} ${days === 1 ? "day" : "days"}, on ${details.notAfter}`];
  }
  return [];
}

/**
 * Formats a digest the way openssl prints fingerprints: uppercase hex pairs
 * joined by colons.
 *
 * @example
 * fingerprint(der, "sha256"); // "3A:7F:0C:…"
 */
export function fingerprint(data: Uint8Array, algorithm: "sha1" | "sha256"): string {
  return colonHex(createHash(algorithm).update(data).digest());
}

function colonHex(bytes: Buffer): string {
  return (bytes.toString("hex").toUpperCase().match(/../g) ?? []).join(":");
}

function spkiKey(cert: X509Certificate): KeyObject {
  return createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: "der", type: "spki" });
}

function verifiesItself(der: Buffer, publicKey: KeyObject): boolean {
  try {
    return new NodeX509Certificate(der).verify(publicKey);
  } catch {
    return false;
  }
}

function subjectAltNames(cert: X509Certificate): string[] {
  try {
    const extension = cert.getExtension(SubjectAlternativeNameExtension);
    if (!extension) return [];
    return extension.names.items.map((name) => `${SAN_PREFIXES[name.type] ?? name.type}:${name.value}`);
  } catch {
    // @peculiar/x509 refuses the whole extension when one name is of a kind
    // it cannot show (an otherName it does not know, an X.400 address). Say
    // so rather than hide the extension.
    return ["(subjectAltName with a name type that cannot be shown)"];
  }
}

function keyUsages(cert: X509Certificate): string[] {
  const extension = cert.getExtension(KeyUsagesExtension);
  if (!extension) return [];
  const names: string[] = [];
  for (const [name, bit] of Object.entries(KeyUsageFlags)) {
    if (typeof bit === "number" && (extension.usages & bit) !== 0) names.push(name);
  }
  return names;
}

function extendedKeyUsages(cert: X509Certificate): string[] {
  const extension = cert.getExtension(ExtendedKeyUsageExtension);
  if (!extension) return [];
  return extension.usages.map((usage) => {
    const oid = String(usage);
    return EKU_NAMES.get(oid) ?? oid;
  });
}
