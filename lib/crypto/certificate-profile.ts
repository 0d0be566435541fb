/**
 * What RFC 5280 forbids in a certificate and a parser lets through: Keyward
 * refuses to publish or trust such a certificate, because relying parties
 * that follow the RFC will refuse it too (a critical extension they do not
 * understand), or because it is not what it claims (a signature algorithm
 * named two ways).
 */
import "reflect-metadata";
import { AsnConvert } from "@peculiar/asn1-schema";
import { BasicConstraints, Certificate, Version } from "@peculiar/asn1-x509";

// Extensions whose meaning is known to every verifier Keyward's certificates
// meet (RFC 5280 §4.2 and the ones Open Banking / eIDAS certificates carry).
const KNOWN_EXTENSIONS = new Set([
  "2.5.29.9", // subjectDirectoryAttributes
  "2.5.29.14", // subjectKeyIdentifier
  "2.5.29.15", // keyUsage
  "2.5.29.17", // subjectAltName
  "2.5.29.18", // issuerAltName
  "2.5.29.19", // basicConstraints
  "2.5.29.30", // nameConstraints
  "2.5.29.31", // cRLDistributionPoints
  "2.5.29.32", // certificatePolicies
  "2.5.29.33", // policyMappings
  "2.5.29.35", // authorityKeyIdentifier
  "2.5.29.36", // policyConstraints
  "2.5.29.37", // extKeyUsage
  "2.5.29.54", // inhibitAnyPolicy
  "1.3.6.1.5.5.7.1.1", // authorityInfoAccess
  "1.3.6.1.5.5.7.1.3", // qcStatements
]);
const NAME_CONSTRAINTS = "2.5.29.30";
const BASIC_CONSTRAINTS = "2.5.29.19";
const MAX_SERIAL_OCTETS = 20;
const MAX_VALIDITY_YEARS = 50;
const YEAR_MS = 365.25 * 86_400_000;

/** The length a DER element says it has (tag, length and contents), or -1 when it cannot say. */
function encodedLength(der: Uint8Array): number {
  if (der.length < 2) return -1;
  const first = der[1]!;
  if (first < 0x80) return 2 + first;
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4 || der.length < 2 + octets) return -1;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + der[2 + i]!;
  return 2 + octets + length;
}

/**
 * Why a DER certificate breaks RFC 5280 in a way that matters, or null: not
 * version 3, a serial that is negative, zero or longer than 20 octets, a
 * signature algorithm inside the signed part that differs from the outer
 * one, a validity that ends before it begins or spans more than 50 years, a
 * critical extension not understood here, name constraints outside a CA.
 * The answer is a phrase to follow "the certificate …".
 *
 * @example
 * certificateProfileProblem(der); // "has a negative serial number (RFC 5280 §4.1.2.2 requires a positive one)"
 */
export function certificateProfileProblem(der: Uint8Array): string | null {
  const trailing = der.length - encodedLength(der);
  if (trailing !== 0) return trailing > 0 ? `has ${trailing} bytes after its end (DER allows none)` : "is cut short (its DER is shorter than it says)";
  let cert: Certificate;
  try {
    cert = AsnConvert.parse(der, Certificate);
  } catch {
    return "is not a valid X.509 certificate";
  }
  const tbs = cert.tbsCertificate;
  if (tbs.version !== Version.v3) return `is an X.509 v${tbs.version + 1} certificate; only v3 certificates are accepted`;
  const serial = Buffer.from(tbs.serialNumber);
  if (serial.length > 0 && (serial[0]! & 0x80) !== 0) return "has a negative serial number (RFC 5280 §4.1.2.2 requires a positive one)";
  if (serial.every((b) => b === 0)) return "has a zero serial number (RFC 5280 §4.1.2.2 requires a positive one)";
  if (serial.length > MAX_SERIAL_OCTETS + (serial[0] === 0 ? 1 : 0)) {
    return `has a serial number of ${serial.length} octets; RFC 5280 §4.1.2.2 allows at most ${MAX_SERIAL_OCTETS}`;
  }
  const inner = tbs.signature;
  const outer = cert.signatureAlgorithm;
  const params = (a: typeof inner) => (a.parameters ? Buffer.from(a.parameters).toString("hex") : "");
  if (inner.algorithm !== outer.algorithm || params(inner) !== params(outer)) {
    return `names the signature algorithm ${inner.algorithm} in its signed part and ${outer.algorithm} outside it (RFC 5280 §4.1.1.2: they must be the same)`;
  }
  const notBefore = tbs.validity.notBefore.getTime();
  const notAfter = tbs.validity.notAfter.getTime();
  if (notBefore.getTime() > notAfter.getTime()) {
    return `is valid from ${notBefore.toISOString()} to ${notAfter.toISOString()}: it ends before it begins`;
  }
  const years = (notAfter.getTime() - notBefore.getTime()) / YEAR_MS;
  if (years > MAX_VALIDITY_YEARS) {
    return `is valid for ${Math.floor(years)} years (${notBefore.toISOString().slice(0, 10)} to ${notAfter.toISOString().slice(0, 10)}); at most ${MAX_VALIDITY_YEARS} are accepted`;
  }
  const extensions = tbs.extensions ?? [];
  const unknown = extensions.find((e) => e.critical && !KNOWN_EXTENSIONS.has(e.extnID));
  if (unknown) return `marks the extension ${unknown.extnID} as critical, which is not understood here (RFC 5280 §4.2: such a certificate must be refused)`;
  if (extensions.some((e) => e.extnID === NAME_CONSTRAINTS)) {
    const basic = extensions.find((e) => e.extnID === BASIC_CONSTRAINTS);
    let isCa = false;
    try {
      isCa = basic ? AsnConvert.parse(basic.extnValue.buffer, BasicConstraints).cA : false;
    } catch {
      isCa = false;
    }
    if (!isCa) return "carries name constraints, which only a CA certificate may (RFC 5280 §4.2.1.10)";
  }
  return null;
}
