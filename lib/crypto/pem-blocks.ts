/**
 * Splits pasted text into PEM blocks (RFC 7468 textual encoding, with the RFC
 * 1421 headers that legacy encrypted PKCS#1 keys carry).
 *
 * Only the armour is handled here; what is inside each block (DER) is left
 * to node:crypto and @peculiar/x509.
 *
 * Admins paste from many places, so the splitter is lenient about what is
 * *around* the blocks and strict about the blocks themselves:
 * - CRLF, CR and LF line endings, indentation and trailing spaces;
 * - text between and around blocks (openssl's "Bag Attributes", "subject=",
 *   "issuer=" lines, e-mail prose) is ignored;
 * - a block flattened onto one line (a paste through a single-line input or
 *   a JSON string, with literal "\n" escapes) is still found;
 * - but a BEGIN without END, an END without BEGIN, an END whose label differs
 *   from its BEGIN, and body text that is not base64 are errors: the paste is
 *   broken and guessing would hide it.
 */
import { KeyInputError, type KeyInputField } from "./key-input-error";

/** An RFC 1421 header line inside a block, e.g. `Proc-Type: 4,ENCRYPTED`. */
export interface PemHeader {
  name: string;
  value: string;
}

/** One armoured block of a paste. */
export interface PemBlock {
  /** The label between "BEGIN " and the dashes, e.g. "CERTIFICATE". */
  label: string;
  /** The decoded body. */
  der: Buffer;
  /** 1-based line of the BEGIN line in the pasted text. */
  line: number;
  /** Headers before the body (legacy encrypted PKCS#1 has Proc-Type and DEK-Info). */
  headers: PemHeader[];
}

// Markers may sit anywhere on a line (flattened pastes); RFC 7468 labels are
// printable ASCII without "-", possibly with inner spaces.
const MARKER_SOURCE = "-----(BEGIN|END) ([\\x21-\\x2C\\x2E-\\x7E](?:[\\x20-\\x2C\\x2E-\\x7E]*[\\x21-\\x2C\\x2E-\\x7E])?)?-----";
const WHOLE_MARKER = new RegExp(`^${MARKER_SOURCE}$`);
const HEADER_LINE = /^([A-Za-z0-9][A-Za-z0-9-]*):\s*(.*)$/;
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

interface Segment {
  text: string;
  line: number;
  /** Whether the segment started its line (header continuations start with whitespace). */
  indented: boolean;
}

/**
 * Finds every PEM block in `text`, in order. Returns an empty array when the
 * text has no BEGIN line at all; the caller knows what it expected and says
 * so (see {@link noPemBlockError}).
 *
 * @param field - the input field the text came from; every error names it.
 * @throws KeyInputError `truncated_block` (BEGIN without END, or END without
 *   BEGIN), `mismatched_end` (END label differs from BEGIN) or `bad_base64`.
 * @example
 * const blocks = splitPemBlocks(form.certificatePem, "certificatePem");
 * // [{ label: "CERTIFICATE", der: <Buffer 30 82 …>, line: 1, headers: [] }, …]
 */
export function splitPemBlocks(text: string, field: KeyInputField): PemBlock[] {
  const blocks: PemBlock[] = [];
  let open: { label: string; line: number; headerLines: Segment[]; body: string[]; inBody: boolean } | null = null;

  for (const segment of segments(text)) {
    const marker = WHOLE_MARKER.exec(segment.text);
    if (marker) {
      const kind = marker[1];
      const label = marker[2] ?? "";
      if (kind === "BEGIN") {
        if (open) throw truncated(field, open.line, open.label);
        open = { label, line: segment.line, headerLines: [], body: [], inBody: false };
        continue;
      }
      if (!open) {
        throw new KeyInputError(
          "truncated_block",
          `${field}: the END ${label} line at line ${segment.line} has no BEGIN line — the start of the paste looks cut off`,
          field,
        );
      }
      if (label !== open.label) {
        throw new KeyInputError(
          "mismatched_end",
          `${field}: the block starting at line ${open.line} (BEGIN ${open.label}) ends with END ${label} at line ${segment.line}; the labels must match`,
          field,
        );
      }
      blocks.push(finishBlock(field, open.label, open.line, open.headerLines, open.body));
      open = null;
      continue;
    }
    if (!open) continue; // text around blocks is ignored
    if (!open.inBody) {
      // RFC 1421 headers come first and end with an empty line; a header
      // value may continue on indented lines.
      if (segment.text === "") {
        if (open.headerLines.length > 0) open.inBody = true;
        continue;
      }
      if (HEADER_LINE.test(segment.text) || (segment.indented && open.headerLines.length > 0)) {
        open.headerLines.push(segment);
        continue;
      }
      open.inBody = true;
    }
    open.body.push(segment.text);
  }
  if (open) throw truncated(field, open.line, open.label);
  return blocks;
}

/**
 * Encodes a block back into canonical PEM: LF line endings, 64-character
 * base64 lines, headers (if any) followed by an empty line, and a final
 * newline. Used to hand node:crypto a clean PEM (legacy encrypted PKCS#1 is
 * only readable in PEM form, because its encryption lives in the headers) and
 * to store normalised chains.
 *
 * @example
 * encodePemBlock({ label: "CERTIFICATE", der, headers: [] });
 * // "-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n"
 */
export function encodePemBlock(block: { label: string; der: Uint8Array; headers?: PemHeader[] }): string {
  const base64 = Buffer.from(block.der).toString("base64");
  const lines = [`-----BEGIN ${block.label}-----`];
  const headers = block.headers ?? [];
  if (headers.length > 0) {
    for (const header of headers) lines.push(`${header.name}: ${header.value}`);
    lines.push("");
  }
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  lines.push(`-----END ${block.label}-----`, "");
  return lines.join("\n");
}

/**
 * The error for a paste that has no PEM block at all, with a hint matched to
 * what the text looks like (a JWK, bare base64 without its armour, …).
 *
 * @param expected - what the field wants, e.g. "a certificate (-----BEGIN CERTIFICATE-----)".
 * @example
 * const blocks = splitPemBlocks(text, "certificatePem");
 * if (blocks.length === 0) throw noPemBlockError(text, "certificatePem", "a certificate (-----BEGIN CERTIFICATE-----)");
 */
export function noPemBlockError(text: string, field: KeyInputField, expected: string): KeyInputError {
  const trimmed = text.trim();
  let hint = "";
  if (trimmed === "") hint = "the field is empty";
  else if (trimmed.startsWith("{")) hint = "the text looks like JSON (a JWK?); use the JWK import instead";
  else if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) {
    hint = "the text looks like base64 without its armour; paste the whole block including the -----BEGIN …----- and -----END …----- lines";
  } else hint = "no -----BEGIN …----- line was found";
  return new KeyInputError("no_pem_block", `${field}: expected ${expected}, but ${hint}`, field);
}

function truncated(field: KeyInputField, line: number, label: string): KeyInputError {
  return new KeyInputError(
    "truncated_block",
    `${field}: the block starting at line ${line} (BEGIN ${label}) has no END line — the paste looks truncated`,
    field,
  );
}

function finishBlock(
  field: KeyInputField,
  label: string,
  line: number,
  headerLines: Segment[],
  body: string[],
): PemBlock {
  const headers: PemHeader[] = [];
  for (const segment of headerLines) {
    const match = HEADER_LINE.exec(segment.text);
    const last = headers[headers.length - 1];
    if (match && !(segment.indented && last)) headers.push({ name: match[1] ?? "", value: (match[2] ?? "").trim() });
    else if (last) last.value = `${last.value} ${segment.text}`.trim();
  }
  // Whitespace inside the body carries no meaning (flattened pastes keep the
  // original line breaks as spaces).
  const base64 = body.join("").replace(/\s+/g, "");
  const where = `${field}: the block starting at line ${line} (BEGIN ${label})`;
  if (base64 === "") {
    throw new KeyInputError("bad_base64", `${where} is empty`, field);
  }
  // Node's decoder skips characters outside the alphabet silently, so the
  // alphabet, the padding and the length are checked first; the round trip
  // rejects non-canonical trailing bits.
  const valid = BASE64_BODY.test(base64) && base64.length % 4 === 0;
  const der = valid ? Buffer.from(base64, "base64") : null;
  if (!der || der.toString("base64") !== base64) {
    const bad = /[^A-Za-z0-9+/=]/.exec(base64);
    const detail = bad
      ? `contains ${JSON.stringify(bad[0])}, which is not a base64 character`
      : "is not valid base64 (its length or padding is wrong — part of it may be missing)";
    throw new KeyInputError("bad_base64", `${where} ${detail}`, field);
  }
  return { label, der, line, headers };
}

function* segments(text: string): Generator<Segment> {
  // A paste that went through JSON or a shell variable can carry literal
  // "\n" escapes instead of line breaks; base64 never contains a backslash.
  const unescaped = /\r|\n/.test(text) ? text : text.replace(/\\r\\n|\\n|\\r/g, "\n");
  const lines = unescaped.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const indented = /^[ \t]/.test(raw);
    const lineNumber = i + 1;
    // Cut the line around markers so that BEGIN/END lines flattened together
    // with the body are still recognised.
    const markers = new RegExp(MARKER_SOURCE, "g");
    let cursor = 0;
    let found = false;
    for (let m = markers.exec(raw); m; m = markers.exec(raw)) {
      found = true;
      const before = raw.slice(cursor, m.index).trim();
      if (before) yield { text: before, line: lineNumber, indented: cursor === 0 && indented };
      yield { text: m[0], line: lineNumber, indented: false };
      cursor = m.index + m[0].length;
    }
    const rest = raw.slice(cursor).trim();
    if (rest || !found) yield { text: rest, line: lineNumber, indented: cursor === 0 && indented };
  }
}
