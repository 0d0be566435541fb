/**
 * Reads a pasted private key (PEM) or a private JWK into a node:crypto
 * KeyObject. The decoding is OpenSSL's (through `createPrivateKey`); this
 * file decides which block to decode and turns every failure into a
 * {@link KeyInputError} that says what was found and what was expected.
 */
import { createPrivateKey, createPublicKey, sign, verify, type JsonWebKey, type KeyObject } from "node:crypto";
import { KeyInputError } from "./key-input-error";
import { encodePemBlock, noPemBlockError, splitPemBlocks, type PemBlock } from "./pem-blocks";

// What each private key label holds, for messages.
const PRIVATE_KEY_FORMATS: Record<string, string> = {
  "PRIVATE KEY": "PKCS#8 private key",
  "ENCRYPTED PRIVATE KEY": "encrypted PKCS#8 private key",
  "RSA PRIVATE KEY": "PKCS#1 RSA private key",
  "EC PRIVATE KEY": "SEC1 EC private key",
  // Refused later by checkKeyStrength, with a message naming the key type.
  "DSA PRIVATE KEY": "DSA private key",
};

const PUBLIC_KEY_LABELS = new Set(["PUBLIC KEY", "RSA PUBLIC KEY"]);

// `openssl ecparam -genkey` writes the curve parameters before the key; the
// key itself names its curve, so the parameters carry nothing we need.
const IGNORED_LABELS = new Set(["EC PARAMETERS"]);

const BASE64URL = /^[A-Za-z0-9_-]+$/;

const JWK_MEMBERS = {
  RSA: { public: ["n", "e"], private: ["d", "p", "q", "dp", "dq", "qi"] },
  EC: { public: ["crv", "x", "y"], private: ["d"] },
  OKP: { public: ["crv", "x"], private: ["d"] },
} as const;

/**
 * Parses a pasted PEM private key: PKCS#8 ("PRIVATE KEY"), encrypted PKCS#8
 * ("ENCRYPTED PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY", also legacy encrypted
 * with Proc-Type/DEK-Info headers) or SEC1 ("EC PRIVATE KEY", with or without
 * the "EC PARAMETERS" block openssl writes before it). Text around the block
 * is ignored. A passphrase given for an unencrypted key is ignored.
 *
 * The key's type and strength are not judged here (see `checkKeyStrength`).
 *
 * @throws KeyInputError — field "privateKeyPem" unless noted:
 *   `no_pem_block`, `truncated_block`, `mismatched_end`, `bad_base64` (the
 *   armour); `public_key_given` (PUBLIC KEY / RSA PUBLIC KEY);
 *   `wrong_block_type` (a certificate, CSR or other block);
 *   `multiple_private_keys`; `not_a_private_key` (the block does not decode);
 *   `passphrase_required` / `wrong_passphrase` / `unsupported_encryption`
 *   (field "passphrase").
 * @example
 * const key = parsePrivateKey(form.privateKeyPem, form.passphrase || undefined);
 * key.asymmetricKeyType; // "rsa"
 */
export function parsePrivateKey(pem: string, passphrase?: string): KeyObject {
  const field = "privateKeyPem";
  const blocks = splitPemBlocks(pem, field);
  const keys: PemBlock[] = [];
  for (const block of blocks) {
    if (IGNORED_LABELS.has(block.label)) continue;
    if (block.label in PRIVATE_KEY_FORMATS) {
      keys.push(block);
      continue;
    }
    throw wrongBlock(block);
  }
  const [block, ...others] = keys;
  if (!block) {
    throw noPemBlockError(pem, field, "a PEM private key (a PKCS#8, PKCS#1 RSA or SEC1 EC block)");
  }
  if (others.length > 0) {
    throw new KeyInputError(
      "multiple_private_keys",
      `${field}: found ${keys.length} private keys (at lines ${keys.map((k) => k.line).join(", ")}); paste only the signing key`,
      field,
    );
  }

  const encrypted =
    block.label === "ENCRYPTED PRIVATE KEY" ||
    block.headers.some((h) => h.name.toLowerCase() === "proc-type" && /ENCRYPTED/i.test(h.value));
  const format = PRIVATE_KEY_FORMATS[block.label] ?? block.label;
  if (encrypted && !passphrase) {
    const kind = block.label === "ENCRYPTED PRIVATE KEY" ? "ENCRYPTED PRIVATE KEY" : `${block.label} with Proc-Type: ENCRYPTED`;
    throw new KeyInputError(
      "passphrase_required",
      `passphrase: the private key is encrypted (${kind}); enter its passphrase`,
      "passphrase",
    );
  }
  // Handing node the re-armoured PEM (rather than DER) keeps the legacy
  // Proc-Type/DEK-Info encryption readable: it only exists in PEM form.
  const text = encodePemBlock(block);
  try {
    return encrypted ? createPrivateKey({ key: text, format: "pem", passphrase }) : createPrivateKey({ key: text, format: "pem" });
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    if (!encrypted) {
      throw new KeyInputError(
        "not_a_private_key",
        `${field}: the ${block.label} block at line ${block.line} does not contain a valid ${format}`,
        field,
      );
    }
    // A wrong passphrase usually fails the padding check ("bad decrypt"), but
    // 1 in 256 times it decrypts to garbage that the decoder then refuses
    // ("DECODER routines::unsupported"), so every failure that is not an
    // unsupported cipher ("digital envelope routines") means "wrong passphrase".
    if (/digital envelope routines::unsupported|unknown cipher|cipher.*not supported/i.test(message)) {
      throw new KeyInputError(
        "unsupported_encryption",
        `passphrase: the key is encrypted with a cipher this server cannot use; re-encrypt it with "openssl pkcs8 -topk8 -v2 aes-256-cbc"`,
        "passphrase",
      );
    }
    throw new KeyInputError("wrong_passphrase", "passphrase: the passphrase does not decrypt this key", "passphrase");
  }
}

/**
 * Reads a private JWK (RFC 7517/7518: RSA, EC or OKP) into a KeyObject. JSON
 * text is accepted too, and so is a JWK set holding exactly one key.
 *
 * @throws KeyInputError (field "jwk"): `bad_jwk` (not an object, malformed
 *   or missing members, public members that do not belong to the private
 *   key, `use: "enc"`), `unsupported_key_type` (`kty: "oct"` and unknown key
 *   types), `jwk_not_private` (no `d`).
 * @example
 * const key = parsePrivateJwk({ kty: "OKP", crv: "Ed25519", x: "11qY…", d: "nWGx…" });
 * key.asymmetricKeyType; // "ed25519"
 */
export function parsePrivateJwk(jwk: unknown): KeyObject {
  const input = readJwkObject(jwk);
  const kty = input.kty;
  if (typeof kty !== "string") throw badJwk('the JWK has no "kty" member');
  if (kty === "oct") {
    throw new KeyInputError(
      "unsupported_key_type",
      'jwk: this is a symmetric key (kty "oct"); relying parties cannot verify its signatures from a public JWKS — use an RSA, EC or OKP key',
      "jwk",
    );
  }
  if (kty !== "RSA" && kty !== "EC" && kty !== "OKP") {
    throw new KeyInputError("unsupported_key_type", `jwk: kty "${printable(kty)}" is not supported; use RSA, EC or OKP`, "jwk");
  }
  if (input.use !== undefined && input.use !== "sig") {
    throw badJwk(`the JWK is marked use "${printable(input.use)}"; a signing key (use "sig") is needed`);
  }
  if (input.key_ops !== undefined && !(Array.isArray(input.key_ops) && input.key_ops.includes("sign"))) {
    throw badJwk('the JWK\'s key_ops do not include "sign"');
  }
  if (input.d === undefined) {
    throw new KeyInputError(
      "jwk_not_private",
      'jwk: this JWK has no private member ("d"): it is a public key, and a signing key needs its private part',
      "jwk",
    );
  }
  if (input.oth !== undefined) throw badJwk('multi-prime RSA keys ("oth") are not supported');

  const members = JWK_MEMBERS[kty];
  const wanted = [...members.public, ...members.private];
  const missing = wanted.filter((name) => input[name] === undefined);
  if (missing.length > 0) {
    throw badJwk(`${kty} private JWKs need ${wanted.join(", ")}; missing: ${missing.join(", ")}`);
  }
  // Allow-list: only the key members reach OpenSSL.
  const clean: Record<string, string> = { kty };
  for (const name of wanted) {
    const value = input[name];
    if (typeof value !== "string" || (name !== "crv" && !BASE64URL.test(value))) {
      // Never echo the value: it may be private.
      throw badJwk(`member "${name}" must be a base64url string`);
    }
    clean[name] = value;
  }

  let key: KeyObject;
  try {
    key = createPrivateKey({ key: clean as JsonWebKey, format: "jwk" });
  } catch {
    const curve = kty === "RSA" ? "" : ` (crv "${printable(clean.crv)}")`;
    throw badJwk(`the members do not form a valid ${kty} private key${curve}`);
  }
  assertConsistent(key, kty, clean);
  return key;
}

function assertConsistent(key: KeyObject, kty: "RSA" | "EC" | "OKP", jwk: Record<string, string>): void {
  // OpenSSL builds the key from the private members and takes the public
  // ones on trust; a JWK whose x/y/n do not belong to d would publish a key
  // that never verifies what we sign.
  const derived = createPublicKey(key).export({ format: "jwk" });
  const publicNames = JWK_MEMBERS[kty].public.filter((name) => name !== "crv");
  const differing = publicNames.filter((name) => derived[name] !== jwk[name]);
  if (differing.length > 0) {
    throw badJwk(`the public members (${differing.join(", ")}) do not belong to the private key`);
  }
  if (kty === "RSA") {
    // n and e are taken as given, so only a signature shows whether d, p and
    // q belong to them.
    const probe = Buffer.from("keyward key consistency check");
    let ok = false;
    try {
      ok = verify("sha256", probe, createPublicKey(key), sign("sha256", probe, key));
    } catch {
      ok = false;
    }
    if (!ok) throw badJwk("the private members (d, p, q, dp, dq, qi) do not belong to the public key (n, e)");
  }
}

/**
 * The JWK object in a JWK input: the object itself, JSON text of it, or the
 * only key of a JWK set. Used to read public hints (kid, alg) next to
 * {@link parsePrivateJwk}.
 *
 * @throws KeyInputError `bad_jwk` (field "jwk") for anything else.
 * @example
 * readJwkObject('{"kty":"EC","kid":"k1",…}').kid; // "k1"
 */
export function readJwkObject(jwk: unknown): Record<string, unknown> {
  let value = jwk;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw badJwk("the text is not valid JSON");
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const got = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    throw badJwk(`expected a JSON object (a private JWK), got ${got}`);
  }
  const object = value as Record<string, unknown>;
  if (object.kty === undefined && Array.isArray(object.keys)) {
    const [only, ...rest] = object.keys as unknown[];
    if (only === undefined || rest.length > 0) {
      throw badJwk(`this is a JWK set with ${object.keys.length} keys; paste the one signing key`);
    }
    return readJwkObject(only);
  }
  return object;
}

function wrongBlock(block: PemBlock): KeyInputError {
  const field = "privateKeyPem";
  if (PUBLIC_KEY_LABELS.has(block.label)) {
    return new KeyInputError(
      "public_key_given",
      `${field}: found a ${block.label} where a private key was expected (line ${block.line}); a signing key needs its private part`,
      field,
    );
  }
  const hint = /CERTIFICATE$/.test(block.label) && block.label !== "CERTIFICATE REQUEST"
    ? " — paste certificates in the certificate field"
    : block.label === "OPENSSH PRIVATE KEY"
      ? ' — convert it to PKCS#8 first: "ssh-keygen -p -m PKCS8 -f <file>"'
      : "";
  return new KeyInputError(
    "wrong_block_type",
    `${field}: found a ${block.label} block where a private key was expected (line ${block.line})${hint}`,
    field,
  );
}

function badJwk(detail: string): KeyInputError {
  return new KeyInputError("bad_jwk", `jwk: ${detail}`, "jwk");
}

function printable(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
