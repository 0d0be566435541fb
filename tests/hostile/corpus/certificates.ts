/**
 * Certificates that a well-behaved CA would never issue, built field by field
 * (ASN.1 through @peculiar/asn1-x509) and signed by a throwaway CA key: a
 * critical extension nobody knows, negative and oversized serials, a v1
 * certificate, a signature algorithm that contradicts itself, absurd
 * validity, RSA keys far too small or far too large, curves Keyward does not
 * take. Generated per run; nothing is committed but this recipe.
 */
import "reflect-metadata";
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  Certificate,
  Extension,
  Extensions,
  Name,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from "@peculiar/asn1-x509";
import { Name as X509Name } from "@peculiar/x509";

const ECDSA_SHA256 = "1.2.840.10045.4.3.2";
const SHA256_RSA = "1.2.840.113549.1.1.11";
const RSA_ENCRYPTION = "1.2.840.113549.1.1.1";

/** What to make odd about a certificate. */
export interface CertificateRecipe {
  /** The certified key (SPKI); default: a fresh P-256 key. */
  subjectKey?: KeyObject;
  /** Raw SPKI DER instead of a key (for keys node cannot even make). */
  spkiDer?: Buffer;
  version?: Version;
  /** Big-endian two's complement bytes of the serial. */
  serial?: Buffer;
  notBefore?: Date;
  notAfter?: Date;
  extensions?: { oid: string; critical: boolean; value: Buffer }[];
  /** The algorithm named inside the signed part (default: the real one). */
  innerSignatureOid?: string;
  subject?: string;
}

const ca = generateKeyPairSync("ec", { namedCurve: "P-256" });
const CA_NAME = "CN=Hostile Test CA,O=Keyward Tests";

function nameOf(dn: string): Name {
  return AsnConvert.parse(new X509Name(dn).toArrayBuffer(), Name);
}

/** A DER certificate built from the recipe and signed (ECDSA P-256) by a throwaway CA. */
export function buildCertificate(recipe: CertificateRecipe = {}): Buffer {
  const subjectKey = recipe.subjectKey ?? generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;
  const spki = recipe.spkiDer ?? subjectKey.export({ type: "spki", format: "der" });
  const now = Date.now();
  const tbs = new TBSCertificate({
    version: recipe.version ?? Version.v3,
    serialNumber: new Uint8Array(recipe.serial ?? Buffer.from([0x01, 0x23, 0x45])).buffer,
    signature: new AlgorithmIdentifier({ algorithm: recipe.innerSignatureOid ?? ECDSA_SHA256 }),
    issuer: nameOf(CA_NAME),
    validity: new Validity({
      notBefore: recipe.notBefore ?? new Date(now - 86_400_000),
      notAfter: recipe.notAfter ?? new Date(now + 365 * 86_400_000),
    }),
    subject: nameOf(recipe.subject ?? "CN=hostile.example,O=Hostile Tests"),
    subjectPublicKeyInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
  });
  if (recipe.extensions && recipe.extensions.length > 0) {
    tbs.extensions = new Extensions(
      recipe.extensions.map((e) => new Extension({ extnID: e.oid, critical: e.critical, extnValue: new OctetString(e.value) })),
    );
  }
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = sign("sha256", tbsDer, ca.privateKey);
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_SHA256 }),
    signatureValue: new Uint8Array(signature).buffer,
  });
  return Buffer.from(AsnConvert.serialize(cert));
}

/** PEM armour for a DER certificate (or anything, under any label). */
export function armour(der: Buffer, label = "CERTIFICATE"): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** DER of an RSA public key with any modulus, real or not (node refuses to make absurd ones). */
export function rsaSpki(modulus: Buffer, exponent = Buffer.from([1, 0, 1])): Buffer {
  const int = (b: Buffer) => {
    const body = b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
    return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
  };
  const seq = (...parts: Buffer[]) => {
    const body = Buffer.concat(parts);
    return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
  };
  const rsaPublicKey = seq(int(modulus), int(exponent));
  const bitString = Buffer.concat([Buffer.from([0x03]), derLength(rsaPublicKey.length + 1), Buffer.from([0]), rsaPublicKey]);
  const algorithm = seq(Buffer.from("06092a864886f70d010101", "hex"), Buffer.from([0x05, 0x00]));
  void RSA_ENCRYPTION;
  return seq(algorithm, bitString);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** An odd modulus of `bits` bits (top bit set): shaped like an RSA key, factorable or not. */
export function fakeModulus(bits: number): Buffer {
  const bytes = Buffer.alloc(Math.ceil(bits / 8), 0xa5);
  bytes[0] = 0x80 | (bytes[0]! & (0xff >> (8 - (bits % 8 || 8))));
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! | 1;
  return bytes;
}

export const OIDS = { ECDSA_SHA256, SHA256_RSA };

/** A key pair of the kinds Keyward signs with, plus the public key of the pair. */
export function p256(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync("ec", { namedCurve: "P-256" });
}

export function publicOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}
