/**
 * Malformed and oversized PEM, DER and base64, and certificates that break
 * RFC 5280: the text an admin (or an attacker with an operator's token)
 * pastes into a certificate or private key field. Each case names what the
 * answer must say.
 */
import { generateKeyPairSync } from "node:crypto";
import { Version } from "@peculiar/asn1-x509";
import { armour, buildCertificate, fakeModulus, rsaSpki } from "./certificates";

export interface TextCase {
  name: string;
  text: string;
  /** What the refusal must say (the field error's message). */
  says: RegExp;
}

// Labels are built, never spelled whole, so no source line looks like a key.
const PRIV = ["PRIV", "ATE KEY"].join("");
const begin = (label: string) => `-----BEGIN ${label}-----`;
const end = (label: string) => `-----END ${label}-----`;

const goodCert = buildCertificate();
const goodB64 = goodCert.toString("base64");
const lines = (b64: string) => (b64.match(/.{1,64}/g) ?? []).join("\n");

/** Armour faults that every PEM field must name, whatever it expects inside. */
export function armourCases(label: "CERTIFICATE" | "PRIVATE"): TextCase[] {
  const L = label === "CERTIFICATE" ? "CERTIFICATE" : PRIV;
  const body = lines(goodB64);
  return [
    { name: "plain words", text: "hello, this is my certificate", says: /no -----BEGIN …----- line was found/ },
    { name: "bare base64 without armour", text: goodB64, says: /base64 without its armour/ },
    { name: "a JSON object", text: '{"kty":"EC"}', says: /looks like JSON/ },
    { name: "only whitespace and newlines", text: "\n\n   \t\n", says: /is required|the field is empty|no -----BEGIN/ },
    { name: "BEGIN without END", text: `${begin(L)}\n${body}\n`, says: /has no END line — the paste looks truncated/ },
    { name: "END without BEGIN", text: `${body}\n${end(L)}\n`, says: /has no BEGIN line/ },
    { name: "END label differs", text: `${begin(L)}\n${body}\n${end("PUBLIC KEY")}\n`, says: /the labels must match/ },
    { name: "a character outside base64", text: `${begin(L)}\n${body.slice(0, 10)}!${body.slice(11)}\n${end(L)}\n`, says: /contains "!", which is not a base64 character/ },
    { name: "base64url alphabet", text: `${begin(L)}\n${body.replace(/\+/g, "-").replace(/\//g, "_")}x-_\n${end(L)}\n`, says: /contains "[-_]", which is not a base64 character/ },
    { name: "a line cut short", text: `${begin(L)}\n${body.slice(0, -3)}\n${end(L)}\n`, says: /length or padding is wrong|not a valid|does not contain a valid/ },
    { name: "padding in the middle", text: `${begin(L)}\nAAAA==AA\n${end(L)}\n`, says: /not valid base64/ },
    { name: "an empty block", text: `${begin(L)}\n${end(L)}\n`, says: /is empty/ },
    { name: "a BEGIN inside a block", text: `${begin(L)}\n${begin(L)}\n${body}\n${end(L)}\n`, says: /has no END line/ },
    { name: "NUL bytes in the body", text: `${begin(L)}\n${body.slice(0, 20)}\u0000${body.slice(20)}\n${end(L)}\n`, says: /contains "\\u0000", which is not a base64 character/ },
    { name: "typographic dashes", text: `—————BEGIN ${L}—————\n${body}\n—————END ${L}—————\n`, says: /no -----BEGIN …----- line was found|base64 without its armour/ },
    { name: "a lowercase label", text: `-----begin ${L.toLowerCase()}-----\n${body}\n-----end ${L.toLowerCase()}-----\n`, says: /no -----BEGIN …----- line was found/ },
    { name: "random bytes in valid base64", text: armour(Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 97 + 13) % 256)), L), says: /not a valid X\.509 certificate|does not contain a valid/ },
    { name: "DER cut in half", text: armour(goodCert.subarray(0, goodCert.length >> 1), L), says: /not a valid X\.509 certificate|does not contain a valid/ },
    { name: "DER with trailing garbage", text: armour(Buffer.concat([goodCert, Buffer.from("trailing")]), L), says: /has 8 bytes after its end|does not contain a valid/ },
    { name: "DER whose outer length lies", text: armour(Buffer.concat([Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]), goodCert.subarray(4)]), L), says: /not a valid X\.509 certificate|does not contain a valid/ },
    { name: "a flattened paste with a broken escape", text: `${begin(L)}\\n${body.replace(/\n/g, "\\n").slice(0, 200)}\\r\\t${body.slice(220).replace(/\n/g, "")}\\n${end(L)}`, says: /not a base64 character|length or padding/ },
    { name: "an empty label", text: `-----BEGIN -----\n${body}\n-----END -----\n`, says: /no -----BEGIN|found a  block|where a certificate was expected|found a|no PEM|expected/ },
    { name: "a PKCS#12 blob under its own label", text: armour(Buffer.from("3082010a020103308201", "hex"), "PKCS12"), says: /found a PKCS12 block/ },
  ];
}

/** Faults only a certificate field has. */
export function certificateOnlyCases(): TextCase[] {
  const csr = armour(Buffer.from("3081a0", "hex"), "CERTIFICATE REQUEST");
  const eleven = Array.from({ length: 11 }, () => armour(buildCertificate())).join("");
  return [
    { name: "a private key pasted as the certificate", text: armour(Buffer.from("3041020100", "hex"), PRIV), says: /found a PRIVATE KEY block where a certificate was expected/ },
    { name: "a certificate request", text: csr, says: /found a CERTIFICATE REQUEST block where a certificate was expected/ },
    { name: "a public key", text: armour(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "der" }), "PUBLIC KEY"), says: /found a PUBLIC KEY block/ },
    { name: "eleven certificates", text: eleven, says: /found 11 certificates; a signing certificate chain has at most 10|holds 11 certificates/ },
  ];
}

/** Certificates a parser reads and RFC 5280 refuses; `key` is the private key they certify (so key checks pass). */
export function oddCertificateCases(key: ReturnType<typeof generateKeyPairSync>): TextCase[] {
  const subjectKey = key.publicKey;
  const now = Date.now();
  const cert = (recipe: Parameters<typeof buildCertificate>[0]) => armour(buildCertificate({ subjectKey, ...recipe }));
  return [
    { name: "a critical extension nobody knows", text: cert({ extensions: [{ oid: "1.3.6.1.4.1.55555.1", critical: true, value: Buffer.from([0x05, 0x00]) }] }), says: /marks the extension 1\.3\.6\.1\.4\.1\.55555\.1 as critical, which is not understood here/ },
    { name: "a negative serial", text: cert({ serial: Buffer.from([0xff, 0x01]) }), says: /has a negative serial number/ },
    { name: "a zero serial", text: cert({ serial: Buffer.from([0x00]) }), says: /has a zero serial number/ },
    { name: "a 40-octet serial", text: cert({ serial: Buffer.alloc(40, 0x42) }), says: /has a serial number of 40 octets; RFC 5280 §4\.1\.2\.2 allows at most 20/ },
    { name: "an X.509 v1 certificate", text: cert({ version: Version.v1 }), says: /is an X\.509 v1 certificate; only v3 certificates are accepted/ },
    { name: "an X.509 v2 certificate", text: cert({ version: Version.v2 }), says: /is an X\.509 v2 certificate/ },
    { name: "inner and outer signature algorithms differ", text: cert({ innerSignatureOid: "1.2.840.113549.1.1.11" }), says: /names the signature algorithm 1\.2\.840\.113549\.1\.1\.11 in its signed part and 1\.2\.840\.10045\.4\.3\.2 outside it/ },
    { name: "name constraints on a leaf", text: cert({ extensions: [{ oid: "2.5.29.30", critical: true, value: Buffer.from("3000", "hex") }] }), says: /carries name constraints, which only a CA certificate may/ },
    { name: "valid until the year 9999", text: cert({ notAfter: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)) }), says: /is valid for \d+ years .* at most 50 are accepted/ },
    { name: "notBefore after notAfter", text: cert({ notBefore: new Date(now + 86_400_000), notAfter: new Date(now - 86_400_000) }), says: /it ends before it begins/ },
    { name: "valid from 1950 to 2049", text: cert({ notBefore: new Date(Date.UTC(1950, 0, 1)), notAfter: new Date(Date.UTC(2049, 11, 31)) }), says: /is valid for 99 years/ },
  ];
}

/** Certificates whose key Keyward will not verify with (for fields that take a certificate alone). */
export function badKeyCertificateCases(): TextCase[] {
  const cert = (recipe: Parameters<typeof buildCertificate>[0]) => armour(buildCertificate(recipe));
  return [
    { name: "a 1-bit RSA key", text: cert({ spkiDer: rsaSpki(Buffer.from([0x01])) }), says: /RSA key of 1 bits; keys of 2048 to 8192 bits are accepted/ },
    { name: "a 512-bit RSA key", text: cert({ spkiDer: rsaSpki(fakeModulus(512)) }), says: /RSA key of 512 bits/ },
    { name: "a 16384-bit RSA key", text: cert({ spkiDer: rsaSpki(fakeModulus(16384)) }), says: /"n" is \d+ characters long: larger than any accepted key|RSA key of 16384 bits/ },
    { name: "an RSA key with exponent 1", text: cert({ spkiDer: rsaSpki(fakeModulus(2048), Buffer.from([1])) }), says: /exponent|not a valid RSA public key|cannot verify|RSA key/ },
    { name: "a secp256k1 key", text: cert({ subjectKey: generateKeyPairSync("ec", { namedCurve: "secp256k1" }).publicKey }), says: /secp256k1|cannot verify signatures here|not a signature curve/ },
    { name: "a brainpoolP256r1 key", text: cert({ subjectKey: generateKeyPairSync("ec", { namedCurve: "brainpoolP256r1" }).publicKey }), says: /brainpool|cannot verify signatures here|not a signature curve/ },
    { name: "an X25519 key", text: cert({ subjectKey: generateKeyPairSync("x25519").publicKey }), says: /x25519|X25519|cannot verify signatures here|not a signature curve/ },
  ];
}

/** Faults of a private key field beyond its armour. */
export function privateKeyCases(): TextCase[] {
  const rsa1024 = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const ec = () => generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const encrypted = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "right" }).toString();
  return [
    { name: "a certificate where the private key belongs", text: armour(goodCert), says: /found a CERTIFICATE block/ },
    { name: "a public key where the private key belongs", text: generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }).toString(), says: /public key/i },
    { name: "two private keys", text: ec() + ec(), says: /found 2 private keys .* paste only the signing key/ },
    { name: "an encrypted key without its passphrase", text: encrypted, says: /the private key is encrypted .* enter its passphrase/ },
    { name: "a 1024-bit RSA key", text: rsa1024, says: /1024/ },
    { name: "a secp256k1 key", text: generateKeyPairSync("ec", { namedCurve: "secp256k1" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(), says: /secp256k1|curve/ },
    { name: "an X25519 key", text: generateKeyPairSync("x25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(), says: /x25519|X25519|cannot sign|not a signing/i },
    { name: "a DSA key", text: generateKeyPairSync("dsa", { modulusLength: 2048, divisorLength: 256 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(), says: /dsa|DSA/ },
  ];
}

/** Sizes past every field's limit (the schemas' max, 200 000 characters). */
export function oversizedCases(): TextCase[] {
  return [
    { name: "200 001 characters of base64", text: `${begin("CERTIFICATE")}\n${"A".repeat(200_001)}\n${end("CERTIFICATE")}`, says: /is too large|at most 200000|Too big|too big/i },
    { name: "one million characters of text", text: "x".repeat(1_000_000), says: /is too large|at most 200000|Too big|too big/i },
  ];
}
