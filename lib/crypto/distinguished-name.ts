/**
 * Distinguished names (X.501) as text, for certificate details and CSR
 * subjects. The DER work is @peculiar/x509's `Name`; this file teaches it the
 * attribute names that open-banking certificates use and checks a typed
 * subject before handing it over.
 */
import "reflect-metadata";
import { Name } from "@peculiar/x509";
import { KeyInputError } from "./key-input-error";

// @peculiar/x509 only knows CN, L, ST, O, OU, C, DC, E, G, I, SN and T. Open
// Banking UK and Open Finance Brazil certificates also carry these; without
// them a subject would show "2.5.4.97=PSDGB-OB-…" instead of the name
// openssl prints. Names follow openssl's short/long names.
const EXTRA_ATTRIBUTES: Record<string, string> = {
  organizationIdentifier: "2.5.4.97",
  serialNumber: "2.5.4.5",
  UID: "0.9.2342.19200300.100.1.1",
  businessCategory: "2.5.4.15",
  jurisdictionC: "1.3.6.1.4.1.311.60.2.1.3",
  jurisdictionST: "1.3.6.1.4.1.311.60.2.1.2",
  jurisdictionL: "1.3.6.1.4.1.311.60.2.1.1",
  street: "2.5.4.9",
  postalCode: "2.5.4.17",
  emailAddress: "1.2.840.113549.1.9.1",
};

const BUILT_IN_ATTRIBUTES = ["CN", "L", "ST", "O", "OU", "C", "DC", "E", "G", "I", "SN", "T"];

const KNOWN_ATTRIBUTES = new Map(
  [...BUILT_IN_ATTRIBUTES, ...Object.keys(EXTRA_ATTRIBUTES)].map((name) => [name.toLowerCase(), name]),
);

// The shape of an RFC 4514 string: type=value pairs separated by "," (or "+"
// inside a multi-valued RDN). Values may be quoted or use backslash escapes.
// Checked before @peculiar/x509 parses the text, because its parser skips
// what it does not understand instead of failing.
const ATTRIBUTE_TYPE = String.raw`(?:[A-Za-z][A-Za-z0-9-]*|[0-2](?:\.[0-9]+)+)`;
const ATTRIBUTE_VALUE = String.raw`(?:"(?:[^"\\]|\\.)*"|(?:[^,+"\\;=\s]|\\.)(?:(?:[^,+"\\;]|\\.)*(?:[^,+"\\;\s]|\\.))?)`;
const PAIR = `${ATTRIBUTE_TYPE}\\s*=\\s*${ATTRIBUTE_VALUE}`;
const DN_SHAPE = new RegExp(`^\\s*${PAIR}(?:\\s*[,+]\\s*${PAIR})*\\s*$`);
const TYPE_AT_START = new RegExp(`(?:^|[,+])\\s*(${ATTRIBUTE_TYPE})\\s*=`, "g");

/**
 * Formats a DER-encoded X.501 Name the way admins read it in openssl's
 * output, in certificate order, e.g.
 * "C=GB, O=Bank plc, organizationIdentifier=PSDGB-OB-123, CN=0015800001HQQrZAAX".
 *
 * @example
 * const cert = new X509Certificate(der);
 * formatDistinguishedName(cert.subjectName.toArrayBuffer()); // "C=GB, O=Bank plc, CN=signing"
 */
export function formatDistinguishedName(der: BufferSource): string {
  return new Name(der, EXTRA_ATTRIBUTES).toString();
}

/**
 * Parses a subject typed by an admin ("CN=…,O=…,C=GB", with OIDs such as
 * "2.5.4.97=PSDGB-OB-…" or names such as "organizationIdentifier=…") into a
 * `Name` for a CSR.
 *
 * @throws KeyInputError `bad_subject` (field "subject") naming what is wrong:
 *   empty, not "type=value" pairs, an unknown attribute name, an empty
 *   value, or a country that is not two letters.
 * @example
 * const name = parseDistinguishedName("CN=0015800001HQQrZAAX,2.5.4.97=PSDGB-OB-Unknown0015800001HQQrZAAX,O=Bank plc,C=GB");
 * name.toString(); // "CN=0015800001HQQrZAAX, organizationIdentifier=PSDGB-OB-Unknown0015800001HQQrZAAX, O=Bank plc, C=GB"
 */
export function parseDistinguishedName(subject: string): Name {
  const text = subject.trim();
  if (text === "") throw badSubject('the subject is empty; expected e.g. "CN=signing.bank.example,O=Bank plc,C=GB"');
  if (/[\x00-\x1f\x7f]/.test(text)) throw badSubject("the subject contains control characters");
  if (!DN_SHAPE.test(text)) {
    throw badSubject(
      'the subject must be type=value pairs separated by commas, e.g. "CN=signing.bank.example,O=Bank plc,C=GB" (escape a comma inside a value as "\\," or quote the value)',
    );
  }
  for (const match of text.matchAll(TYPE_AT_START)) {
    const type = match[1] ?? "";
    if (/^[0-2]\./.test(type)) continue;
    if (!KNOWN_ATTRIBUTES.has(type.toLowerCase())) {
      throw badSubject(
        `unknown attribute "${type}"; use one of ${[...KNOWN_ATTRIBUTES.values()].join(", ")}, or a dotted OID such as 2.5.4.97`,
      );
    }
  }
  // The names are matched case-insensitively above; @peculiar/x509 wants
  // their canonical spelling.
  const canonical = text.replace(TYPE_AT_START, (whole: string, type: string) =>
    whole.replace(type, KNOWN_ATTRIBUTES.get(type.toLowerCase()) ?? type),
  );
  let name: Name;
  try {
    name = new Name(canonical, EXTRA_ATTRIBUTES);
  } catch (error) {
    throw badSubject(`the subject cannot be encoded (${error instanceof Error ? error.message : String(error)})`);
  }
  const attributes = name.toJSON().flatMap((rdn) => Object.entries(rdn));
  if (attributes.length === 0) throw badSubject("the subject has no attributes");
  for (const [type, values] of attributes) {
    for (const value of values) {
      if (value === "") throw badSubject(`the ${type} attribute is empty`);
      if (type === "C" && !/^[A-Z]{2}$/.test(value)) {
        throw badSubject(`C must be a two-letter country code in capitals (ISO 3166), e.g. GB or BR; got "${value}"`);
      }
    }
  }
  return name;
}

function badSubject(detail: string): KeyInputError {
  return new KeyInputError("bad_subject", `subject: ${detail}`, "subject");
}
