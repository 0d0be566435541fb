/**
 * PKCS#10 certificate signing requests, so an admin can have the directory
 * (or any CA) certify a key Keyward generated, without the private key ever
 * leaving the server.
 */
import "reflect-metadata";
import {
  Pkcs10CertificateRequestGenerator,
  SubjectAlternativeNameExtension,
  type JsonGeneralName,
} from "@peculiar/x509";
import { createPublicKey, webcrypto, type KeyObject } from "node:crypto";
import { isIP } from "node:net";
import { parseDistinguishedName } from "./distinguished-name";
import { KeyInputError } from "./key-input-error";
import { encodePemBlock } from "./pem-blocks";
import { algsForKey, describeKey, type SigningAlg } from "./signing-algorithms";

/** What {@link createCsr} needs. */
export interface CreateCsrInput {
  privateKey: KeyObject;
  alg: SigningAlg;
  /** "CN=…,O=…,C=…", also with OIDs such as "2.5.4.97=PSDGB-OB-…". */
  subject: string;
  /** "DNS:bank.example", "URI:https://…", "email:…", "IP:…"; a bare host name means DNS. */
  sans?: string[];
}

interface WebCryptoParams {
  importParams: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  signingAlgorithm: Algorithm | RsaPssParams | EcdsaParams;
}

// The CSR is signed with the algorithm the key will sign tokens with, so the
// CA sees a self-signature of the kind relying parties will verify.
const WEBCRYPTO: Record<SigningAlg, WebCryptoParams> = {
  PS256: {
    importParams: { name: "RSA-PSS", hash: "SHA-256" },
    // RFC 8017 / FAPI practice: salt as long as the hash.
    signingAlgorithm: { name: "RSA-PSS", saltLength: 32 } as RsaPssParams,
  },
  RS256: {
    importParams: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    signingAlgorithm: { name: "RSASSA-PKCS1-v1_5" },
  },
  ES256: {
    importParams: { name: "ECDSA", namedCurve: "P-256" },
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams,
  },
  ES384: {
    importParams: { name: "ECDSA", namedCurve: "P-384" },
    signingAlgorithm: { name: "ECDSA", hash: "SHA-384" } as EcdsaParams,
  },
  EdDSA: {
    importParams: { name: "Ed25519" },
    signingAlgorithm: { name: "Ed25519" },
  },
};

const DNS_NAME = /^(?:\*\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Creates a PEM "CERTIFICATE REQUEST" for `privateKey`, signed by it with
 * `alg` (RSA-PSS or RSASSA-PKCS1-v1_5 with SHA-256, ECDSA P-256/SHA-256,
 * P-384/SHA-384, or Ed25519). Subject alternative names, when given, are
 * requested through the extensionRequest attribute; no other extension is
 * requested, since directories set key usages themselves.
 *
 * @throws KeyInputError `bad_subject` (field "subject") for a malformed
 *   subject or SAN; `alg_mismatch` when `alg` does not suit the key.
 * @example
 * const pem = await createCsr({
 *   privateKey,
 *   alg: "PS256",
 *   subject: "CN=0015800001HQQrZAAX,2.5.4.97=PSDGB-OB-Unknown0015800001HQQrZAAX,O=Bank plc,C=GB",
 *   sans: ["DNS:signing.bank.example"],
 * });
 * // "-----BEGIN CERTIFICATE REQUEST-----\nMIIC…"
 */
export async function createCsr(input: CreateCsrInput): Promise<string> {
  const { privateKey, alg } = input;
  if (!algsForKey(privateKey).includes(alg)) {
    throw new KeyInputError("alg_mismatch", `alg: ${alg} cannot be used with this key (${describeKey(privateKey)})`, "alg");
  }
  const name = parseDistinguishedName(input.subject);
  const sans = (input.sans ?? []).map(parseSan);
  const params = WEBCRYPTO[alg];
  const subtle = webcrypto.subtle;
  // WebCrypto cannot take a KeyObject on Node 20, so the key crosses over as
  // PKCS#8/SPKI bytes, imported non-extractable and for signing only.
  const keys = {
    privateKey: await subtle.importKey(
      "pkcs8",
      privateKey.export({ type: "pkcs8", format: "der" }),
      params.importParams,
      false,
      ["sign"],
    ),
    publicKey: await subtle.importKey(
      "spki",
      createPublicKey(privateKey).export({ type: "spki", format: "der" }),
      params.importParams,
      true,
      ["verify"],
    ),
  } as CryptoKeyPair;
  const csr = await Pkcs10CertificateRequestGenerator.create(
    {
      name,
      keys,
      signingAlgorithm: params.signingAlgorithm,
      extensions: sans.length > 0 ? [new SubjectAlternativeNameExtension(sans)] : [],
    },
    webcrypto as unknown as Crypto,
  );
  return encodePemBlock({ label: "CERTIFICATE REQUEST", der: new Uint8Array(csr.rawData) });
}

function parseSan(text: string): JsonGeneralName {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(":");
  const prefix = colon > 0 ? trimmed.slice(0, colon).toLowerCase() : "";
  const value = colon > 0 ? trimmed.slice(colon + 1).trim() : trimmed;
  const bad = (why: string) =>
    new KeyInputError("bad_subject", `subject: the subject alternative name "${trimmed.slice(0, 100)}" ${why}`, "subject");
  switch (prefix) {
    case "dns":
      if (!DNS_NAME.test(value)) throw bad("is not a valid DNS name");
      return { type: "dns", value };
    case "uri":
    case "url":
      if (!URL.canParse(value)) throw bad("is not an absolute URI");
      return { type: "url", value };
    case "email":
      if (!EMAIL.test(value)) throw bad("is not an e-mail address");
      return { type: "email", value };
    case "ip":
    case "ip address":
      if (isIP(value) === 0) throw bad("is not an IPv4 or IPv6 address");
      return { type: "ip", value };
    case "":
      // IP first: "10.0.0.1" is also a syntactically valid DNS name.
      if (isIP(value) !== 0) return { type: "ip", value };
      if (DNS_NAME.test(value)) return { type: "dns", value };
      throw bad('has no type; write it as "DNS:…", "URI:…", "email:…" or "IP:…"');
    default:
      // A bare IPv6 address or "https://…" has a colon but no type prefix.
      if (isIP(trimmed) !== 0) return { type: "ip", value: trimmed };
      if (URL.canParse(trimmed) && /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return { type: "url", value: trimmed };
      throw bad('has an unknown type; use "DNS:", "URI:", "email:" or "IP:"');
  }
}
