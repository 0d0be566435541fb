/**
 * Sealing of secrets at rest (signing-key private keys, client secrets, …)
 * under a key-encryption key (KEK).
 *
 * Envelope format (all parts separated by "." — base64url never contains a
 * dot, so splitting is unambiguous):
 *
 *     v1.<kekId>.<iv b64url>.<ciphertext b64url>.<tag b64url>
 *
 * AES-256-GCM with a fresh 96-bit IV per seal. The version, the KEK id and the
 * caller's AAD (e.g. "signing-key:<id>") are authenticated, so neither the
 * header nor the binding to a database record can be altered or swapped
 * without `unseal` failing.
 *
 * Deliberately dependency-free (only `node:crypto`): this module is imported
 * by the CLI, by migrations and by the server, and must never read
 * configuration itself — callers pass the KEK in.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
} from "node:crypto";

const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
const KEK_BYTES = 32;
// 96-bit IVs are the GCM fast path recommended by NIST SP 800-38D; other
// lengths get hashed into a counter block and weaken the collision bound.
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEK_ID_HEX_CHARS = 16;
// Domain separation so the KEK id can never collide with a SHA-256 of the
// KEK computed for any other purpose elsewhere.
const KEK_ID_DOMAIN = "keyward-kek-id\0";
const AAD_DOMAIN = "keyward-seal\0";

const KEK_ID_PATTERN = /^[0-9a-f]{16}$/;
const VERSION_PATTERN = /^v[0-9]{1,6}$/;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*$/;
// One alphabet per string: mixing "+" with "_" is never produced by an
// encoder, so it is more likely a copy/paste accident than a real KEK.
const BASE64_ANY_PATTERN = /^(?:[A-Za-z0-9+/]*|[A-Za-z0-9_-]*)(?:={0,2})$/;
const HEX_PATTERN = /^(?:[0-9a-fA-F]{2})+$/;

/** Machine-readable reason an {@link unseal} (or envelope parse) failed. */
export type SealErrorCode =
  | "malformed"
  | "unsupported_version"
  | "wrong_kek"
  | "tampered";

/**
 * Error thrown when a sealed value cannot be opened. Messages never contain
 * plaintext, key bytes or the sealed value itself, so they are safe to log.
 *
 * @example
 * try {
 *   unseal(row.privateKey, kek, `signing-key:${row.id}`);
 * } catch (err) {
 *   if (err instanceof SealError && err.code === "wrong_kek") {
 *     // prompt the operator to configure the previous KEK and run a reseal
 *   }
 * }
 */
export class SealError extends Error {
  readonly code: SealErrorCode;

  constructor(code: SealErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SealError";
    this.code = code;
  }
}

interface Envelope {
  kekId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/**
 * Parses a KEK from its textual form (as found in `KEYWARD_KEK` or a KEK
 * file). Accepts base64 (44 chars, padded), base64url (43 chars, unpadded;
 * padded also accepted) or 64 hex characters. Surrounding whitespace —
 * typically a trailing newline from a file — is ignored.
 *
 * @throws Error naming the expected encoding and the decoded length when the
 *   input is not exactly 32 bytes.
 * @example
 * const kek = parseKek(generateKek()); // Buffer of 32 bytes
 * parseKek("00".repeat(32));           // hex is accepted too
 */
export function parseKek(text: string): Buffer {
  const trimmed = text.trim();
  const expectation = "KEYWARD_KEK must be 32 bytes encoded as base64 or hex";
  if (trimmed.length === 0) {
    throw new Error(`${expectation}; got an empty value`);
  }
  let bytes: Buffer;
  // Hex is checked first: a 64-char hex string is also valid base64 (it
  // would decode to 48 bytes), whereas a 32-byte base64 value (43/44 chars,
  // odd length or "=" padded) can never be mistaken for even-length hex.
  if (HEX_PATTERN.test(trimmed)) {
    bytes = Buffer.from(trimmed, "hex");
  } else if (isStrictBase64(trimmed)) {
    // Node's "base64" decoder accepts both alphabets.
    bytes = Buffer.from(trimmed, "base64");
  } else {
    throw new Error(
      `${expectation}; got a value of ${trimmed.length} characters that is neither base64 nor hex`,
    );
  }
  if (bytes.length !== KEK_BYTES) {
    const got = bytes.length;
    bytes.fill(0);
    throw new Error(`${expectation}; got ${got} bytes`);
  }
  return bytes;
}

/**
 * Generates a fresh random KEK, encoded as base64url (43 characters) so it
 * can be pasted into an env var or written to a file without quoting.
 *
 * @example
 * const text = generateKek(); // e.g. "q3J0…" (43 chars)
 * const kek = parseKek(text);
 */
export function generateKek(): string {
  return randomBytes(KEK_BYTES).toString("base64url");
}

/**
 * Returns a short, stable, non-reversible identifier of a KEK (16 hex chars
 * of a domain-separated SHA-256). Stored in every envelope so that a value
 * sealed under a different KEK is reported as such instead of as tampering.
 *
 * @example
 * const id = kekId(parseKek(kekText));
 * console.log(`using KEK ${id}`); // safe to log, reveals nothing about the KEK
 */
export function kekId(kek: Buffer): string {
  assertKek(kek);
  return createHash("sha256")
    .update(KEK_ID_DOMAIN, "utf8")
    .update(kek)
    .digest("hex")
    .slice(0, KEK_ID_HEX_CHARS);
}

/**
 * Encrypts `plaintext` under `kek` with AES-256-GCM and returns the textual
 * envelope. `aad` binds the ciphertext to its context (use the record's
 * identity, e.g. `signing-key:<id>`) so it cannot be copied into another row;
 * the same `aad` must be passed to {@link unseal}.
 *
 * @example
 * const sealed = seal(privateJwkJson, kek, `signing-key:${key.id}`);
 * // "v1.3f9c0a1b2c3d4e5f.<iv>.<ciphertext>.<tag>"
 */
export function seal(
  plaintext: string | Uint8Array,
  kek: Buffer,
  aad?: string,
): string {
  const id = kekId(kek);
  const iv = randomBytes(IV_BYTES);
  const data =
    typeof plaintext === "string"
      ? Buffer.from(plaintext, "utf8")
      : Buffer.from(plaintext);
  try {
    const cipher = createCipheriv(ALGORITHM, kek, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(buildAad(VERSION, id, aad));
    const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      id,
      iv.toString("base64url"),
      ciphertext.toString("base64url"),
      tag.toString("base64url"),
    ].join(".");
  } finally {
    // Our own copy of the plaintext; the caller's buffer is left untouched.
    data.fill(0);
  }
}

/**
 * Decrypts an envelope produced by {@link seal}. The returned buffer holds
 * the plaintext; callers that are done with it may `fill(0)` it.
 *
 * @throws SealError with code `malformed`, `unsupported_version`,
 *   `wrong_kek` (envelope names a different KEK) or `tampered` (GCM
 *   authentication failed: modified envelope or different `aad`).
 * @example
 * const pem = unseal(row.privateKey, kek, `signing-key:${row.id}`);
 */
export function unseal(sealed: string, kek: Buffer, aad?: string): Buffer {
  const envelope = parseEnvelope(sealed);
  const currentId = kekId(kek);
  if (envelope.kekId !== currentId) {
    throw new SealError(
      "wrong_kek",
      `Value was sealed under KEK ${envelope.kekId} but the current KEK is ${currentId}`,
    );
  }
  const decipher = createDecipheriv(ALGORITHM, kek, envelope.iv, {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(buildAad(VERSION, envelope.kekId, aad));
  decipher.setAuthTag(envelope.tag);
  const first = decipher.update(envelope.ciphertext);
  try {
    const last = decipher.final();
    return Buffer.concat([first, last]);
  } catch {
    // Unauthenticated plaintext must never leave this function.
    // The cause ("unable to authenticate data") adds nothing, so it is not
    // attached; GCM cannot tell a modified envelope from a different AAD.
    throw new SealError(
      "tampered",
      "Sealed value failed authentication: it was modified, sealed for a different record (AAD mismatch), or sealed under a different KEK with a forged id",
    );
  } finally {
    // Either copied into the result by concat or unauthenticated: never
    // leave it lying around in memory.
    first.fill(0);
  }
}

/**
 * Like {@link unseal} but decodes the plaintext as UTF-8.
 *
 * @example
 * const clientSecret = unsealToString(row.secret, kek, `client:${row.id}`);
 */
export function unsealToString(
  sealed: string,
  kek: Buffer,
  aad?: string,
): string {
  const bytes = unseal(sealed, kek, aad);
  try {
    return bytes.toString("utf8");
  } finally {
    bytes.fill(0);
  }
}

/**
 * Returns the id of the KEK that sealed `sealed`, without needing any KEK.
 * Used by KEK rotation to find values still sealed under the old KEK.
 *
 * @throws SealError `malformed` / `unsupported_version` for non-envelopes.
 * @example
 * if (sealedKekId(row.privateKey) !== kekId(currentKek)) needsReseal.push(row.id);
 */
export function sealedKekId(sealed: string): string {
  return parseEnvelope(sealed).kekId;
}

/**
 * Re-encrypts a sealed value from `oldKek` to `newKek` (same `aad`), for KEK
 * rotation. The plaintext only exists transiently in memory.
 *
 * @throws SealError from {@link unseal} when `sealed` does not open under
 *   `oldKek`.
 * @example
 * const updated = reseal(row.privateKey, oldKek, newKek, `signing-key:${row.id}`);
 */
export function reseal(
  sealed: string,
  oldKek: Buffer,
  newKek: Buffer,
  aad?: string,
): string {
  // Validate the new KEK before decrypting so a bad argument never leaves
  // plaintext behind in a half-finished operation.
  assertKek(newKek);
  const plaintext = unseal(sealed, oldKek, aad);
  try {
    return seal(plaintext, newKek, aad);
  } finally {
    plaintext.fill(0);
  }
}

/**
 * Tells whether `value` is structurally a v1 envelope (no KEK needed, no
 * authentication performed). Lets migrations distinguish already-sealed
 * values from legacy plaintext (PEM or JWK JSON never match).
 *
 * @example
 * const stored = isSealed(row.privateKey) ? row.privateKey : seal(row.privateKey, kek, aad);
 */
export function isSealed(value: string): boolean {
  try {
    parseEnvelope(value);
    return true;
  } catch {
    return false;
  }
}

function assertKek(kek: Buffer): void {
  if (!Buffer.isBuffer(kek) || kek.length !== KEK_BYTES) {
    // No SealError: this is a programming/configuration error, not a
    // property of a stored value.
    throw new Error(
      `KEK must be a Buffer of ${KEK_BYTES} bytes (use parseKek); got ${Buffer.isBuffer(kek) ? `${kek.length} bytes` : typeof kek}`,
    );
  }
}

function buildAad(version: string, id: string, aad: string | undefined): Buffer {
  // NUL separators keep the encoding injective: version and kekId can't
  // contain NUL, and the caller's AAD comes last so it may contain anything.
  // An omitted AAD is treated exactly like "".
  return Buffer.from(`${AAD_DOMAIN}${version}\0${id}\0${aad ?? ""}`, "utf8");
}

function parseEnvelope(sealed: string): Envelope {
  if (typeof sealed !== "string" || sealed.length === 0) {
    throw new SealError("malformed", "Sealed value is empty or not a string");
  }
  // The version is checked before the part count: a future format may well
  // have a different number of parts, and "unsupported version" is then the
  // more useful diagnosis than "malformed".
  const dot = sealed.indexOf(".");
  const version = dot === -1 ? sealed : sealed.slice(0, dot);
  if (version !== VERSION) {
    if (VERSION_PATTERN.test(version)) {
      throw new SealError(
        "unsupported_version",
        `Sealed value has unsupported format version "${version}" (this build supports ${VERSION})`,
      );
    }
    throw new SealError(
      "malformed",
      "Sealed value does not start with a format version (expected v1.)",
    );
  }
  const parts = sealed.split(".");
  if (parts.length !== 5) {
    throw new SealError(
      "malformed",
      `Sealed value must have 5 dot-separated parts; got ${parts.length}`,
    );
  }
  const [, id, ivText, ciphertextText, tagText] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!KEK_ID_PATTERN.test(id)) {
    throw new SealError(
      "malformed",
      "Sealed value has an invalid KEK id (expected 16 lowercase hex characters)",
    );
  }
  const iv = decodeBase64url(ivText, "IV");
  const ciphertext = decodeBase64url(ciphertextText, "ciphertext");
  const tag = decodeBase64url(tagText, "authentication tag");
  if (iv.length !== IV_BYTES) {
    throw new SealError(
      "malformed",
      `Sealed value has a ${iv.length}-byte IV; expected ${IV_BYTES}`,
    );
  }
  if (tag.length !== TAG_BYTES) {
    throw new SealError(
      "malformed",
      `Sealed value has a ${tag.length}-byte authentication tag; expected ${TAG_BYTES}`,
    );
  }
  return { kekId: id, iv, ciphertext, tag };
}

function decodeBase64url(text: string, what: string): Buffer {
  // Buffer.from(…, "base64url") silently skips invalid characters, so the
  // alphabet is validated first; the round-trip check rejects non-canonical
  // encodings (stray trailing bits, length ≡ 1 mod 4) so that every envelope
  // has exactly one textual form.
  if (BASE64URL_PATTERN.test(text)) {
    const bytes = Buffer.from(text, "base64url");
    if (bytes.toString("base64url") === text) return bytes;
  }
  throw new SealError(
    "malformed",
    `Sealed value has an invalid base64url ${what}`,
  );
}

function isStrictBase64(text: string): boolean {
  if (!BASE64_ANY_PATTERN.test(text)) return false;
  const body = text.replace(/=+$/, "");
  const padded = body.length !== text.length;
  // Padding, when present, must complete a 4-char group; unpadded input can
  // never have a dangling single character (that encodes no whole byte).
  if (padded) return text.length % 4 === 0;
  return body.length % 4 !== 1;
}
