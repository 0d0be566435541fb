/**
 * Reads a pasted certificate or certificate chain, in any order, and puts it
 * in the order relying parties expect in `x5c` (RFC 7517 §4.7): the leaf
 * first, each certificate followed by the one that issued it.
 *
 * Two certificates link when the child's issuer name is the parent's subject
 * name AND the parent's key verifies the child's signature: names alone are
 * not proof (two CAs can share a name across a re-key), and a chain that
 * cannot be verified would be published as if it could.
 */
import "reflect-metadata";
import { BasicConstraintsExtension, X509Certificate } from "@peculiar/x509";
import { webcrypto } from "node:crypto";
import { formatDistinguishedName } from "./distinguished-name";
import { KeyInputError, type KeyInputField } from "./key-input-error";
import { encodePemBlock, noPemBlockError, splitPemBlocks } from "./pem-blocks";
import { certificateProfileProblem } from "./certificate-profile";

/** A certificate chain, leaf first. */
export interface CertificateChain {
  /** DER of each certificate, leaf first. */
  certificates: Buffer[];
  /** The chain re-armoured: LF endings, 64-column base64, leaf first. */
  pem: string;
  /** The last certificate is self-signed (the chain reaches a root). */
  complete: boolean;
  warnings: string[];
}

// Labels RFC 7468 §5.3 says parsers may accept for a certificate.
const CERTIFICATE_LABELS = new Set(["CERTIFICATE", "X509 CERTIFICATE", "X.509 CERTIFICATE"]);

// The leaf plus intermediates plus a root are rarely more than four; the cap
// bounds the pairwise signature checks a paste can cause.
const MAX_CERTIFICATES = 10;

interface Entry {
  der: Buffer;
  cert: X509Certificate;
  line: number;
  subject: string;
  issuer: string;
  subjectDer: Buffer;
  issuerDer: Buffer;
  isCa: boolean;
}

/**
 * Parses one or more CERTIFICATE blocks and orders them leaf first. The leaf
 * is the certificate that issued no other certificate of the set; the rest
 * must form one unbroken line of issuers above it. Duplicates are dropped
 * with a warning.
 *
 * @param field - the input field the text came from (default "certificatePem").
 * @throws KeyInputError `no_pem_block`, `truncated_block`, `mismatched_end`,
 *   `bad_base64`, `wrong_block_type` (e.g. a private key pasted here),
 *   `not_a_certificate`, `too_many_certificates`, or `chain_broken` naming
 *   the certificate that does not link.
 * @example
 * const chain = await parseCertificateChain(form.certificatePem);
 * chain.certificates[0]; // the leaf's DER
 * chain.complete;        // false when the root is not included
 * chain.warnings;        // ["the chain ends at C=GB, O=OpenBanking, CN=OpenBanking Issuing CA, which is not included: …"]
 */
export async function parseCertificateChain(
  text: string,
  field: KeyInputField = "certificatePem",
): Promise<CertificateChain> {
  const blocks = splitPemBlocks(text, field);
  if (blocks.length === 0) throw noPemBlockError(text, field, "a certificate (-----BEGIN CERTIFICATE-----)");
  const warnings: string[] = [];
  const entries: Entry[] = [];
  for (const block of blocks) {
    if (!CERTIFICATE_LABELS.has(block.label)) {
      const hint = /PRIVATE KEY$/.test(block.label) ? " — paste the private key in the private key field" : "";
      throw new KeyInputError(
        "wrong_block_type",
        `${field}: found a ${block.label} block where a certificate was expected (line ${block.line})${hint}`,
        field,
      );
    }
    const duplicate = entries.find((e) => e.der.equals(block.der));
    if (duplicate) {
      warnings.push(`the certificate at line ${block.line} repeats the one at line ${duplicate.line}; the copy was ignored`);
      continue;
    }
    entries.push(parseEntry(block.der, block.line, field));
  }
  if (entries.length > MAX_CERTIFICATES) {
    throw new KeyInputError(
      "too_many_certificates",
      `${field}: found ${entries.length} certificates; a signing certificate chain has at most ${MAX_CERTIFICATES}`,
      field,
    );
  }

  // parentOf[i] = index of the certificate in the set that issued entries[i].
  const parentOf = new Map<number, number>();
  for (let child = 0; child < entries.length; child++) {
    for (let parent = 0; parent < entries.length; parent++) {
      if (parent === child || parentOf.has(child)) continue;
      const c = entries[child];
      const p = entries[parent];
      if (c && p && (await issued(p, c))) parentOf.set(child, parent);
    }
  }
  const isParent = new Set(parentOf.values());
  const leaves = entries.map((_, i) => i).filter((i) => !isParent.has(i));
  // With several candidates (a stray certificate, a missing link), the one
  // with the longest chain above it is the leaf the admin meant; on a tie, an
  // end-entity certificate rather than a CA.
  const walks = leaves.map((leaf) => walk(leaf, parentOf));
  const caRank = (w: number[]) => (entries[w[0] ?? -1]?.isCa ? 1 : 0);
  walks.sort((a, b) => b.length - a.length || caRank(a) - caRank(b));
  const order = walks[0] ?? [];
  if (order.length !== entries.length) {
    throw brokenChain(field, entries, order);
  }
  const ordered = order.map((i) => entries[i]).filter((e): e is Entry => e !== undefined);
  const last = ordered[ordered.length - 1];
  const complete = last !== undefined && (await selfSigned(last));
  if (!complete && last) {
    warnings.push(
      `the chain ends at ${last.issuer}, which is not included: relying parties need the directory's CA`,
    );
  }
  return {
    certificates: ordered.map((e) => e.der),
    pem: ordered.map((e) => encodePemBlock({ label: "CERTIFICATE", der: e.der })).join(""),
    complete,
    warnings,
  };
}

function parseEntry(der: Buffer, line: number, field: KeyInputField): Entry {
  let cert: X509Certificate;
  let subjectDer: Buffer<ArrayBuffer>;
  let issuerDer: Buffer<ArrayBuffer>;
  let subject: string;
  let issuer: string;
  let isCa: boolean;
  try {
    cert = new X509Certificate(new Uint8Array(der));
    // Touch the fields we rely on so that a structurally odd certificate
    // fails here, with its line, rather than later (a name whose string
    // type does not fit its characters fails only when re-encoded).
    void cert.notAfter;
    void cert.publicKey;
    subjectDer = Buffer.from(cert.subjectName.toArrayBuffer());
    issuerDer = Buffer.from(cert.issuerName.toArrayBuffer());
    subject = formatDistinguishedName(subjectDer);
    issuer = formatDistinguishedName(issuerDer);
    isCa = cert.getExtension(BasicConstraintsExtension)?.ca ?? false;
  } catch {
    throw new KeyInputError(
      "not_a_certificate",
      `${field}: the CERTIFICATE block at line ${line} is not a valid X.509 certificate`,
      field,
    );
  }
  const problem = certificateProfileProblem(der);
  if (problem) {
    throw new KeyInputError("certificate_refused", `${field}: the certificate at line ${line} ${problem}`, field);
  }
  return {
    der,
    cert,
    line,
    subjectDer,
    issuerDer,
    subject,
    issuer,
    isCa,
  };
}

async function issued(parent: Entry, child: Entry): Promise<boolean> {
  if (!sameName(child.issuerDer, child.issuer, parent.subjectDer, parent.subject)) return false;
  try {
    return await child.cert.verify({ publicKey: parent.cert.publicKey, signatureOnly: true }, webcrypto as unknown as Crypto);
  } catch {
    // A key of another type (RSA parent, EC signature) throws in WebCrypto.
    return false;
  }
}

async function selfSigned(entry: Entry): Promise<boolean> {
  return sameName(entry.issuerDer, entry.issuer, entry.subjectDer, entry.subject) && (await issued(entry, entry));
}

function sameName(aDer: Buffer, aText: string, bDer: Buffer, bText: string): boolean {
  // Byte equality is the common case; CAs that re-encode a name (PrintableString
  // vs UTF8String) still print the same, and the signature decides anyway.
  return aDer.equals(bDer) || aText.toLowerCase() === bText.toLowerCase();
}

function walk(start: number, parentOf: Map<number, number>): number[] {
  const seen: number[] = [start];
  for (let next = parentOf.get(start); next !== undefined && !seen.includes(next); next = parentOf.get(next)) {
    seen.push(next);
  }
  return seen;
}

function brokenChain(field: KeyInputField, entries: Entry[], order: number[]): KeyInputError {
  const inChain = new Set(order);
  const stray = entries.find((_, i) => !inChain.has(i));
  const top = entries[order[order.length - 1] ?? -1];
  const leaf = entries[order[0] ?? -1];
  const strayText = stray ? `the certificate "${stray.subject}" (line ${stray.line})` : "a certificate";
  const chainText =
    leaf && top
      ? leaf === top
        ? `the certificate "${leaf.subject}" (line ${leaf.line}), issued by "${leaf.issuer}"`
        : `the chain from "${leaf.subject}" (line ${leaf.line}) up to "${top.subject}", issued by "${top.issuer}"`
      : "the rest of the chain";
  return new KeyInputError(
    "chain_broken",
    `${field}: the certificates do not form one chain: ${strayText} does not link to ${chainText} — a certificate in between is missing, or it belongs to another chain`,
    field,
  );
}
