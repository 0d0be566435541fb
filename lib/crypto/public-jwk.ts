/**
 * The public JWK Keyward publishes for a signing key.
 *
 * Built by an allow-list: each member is copied by name from the public
 * key's own JWK export. Nothing is ever deleted from a private JWK, so a
 * member we did not think of (a future private parameter, "oth", a symmetric
 * "k") can never leak into a JWKS (the idea of oidc-provider's stripPrivate,
 * taken one step further).
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import { KeyInputError } from "./key-input-error";
import { algsForKey, describeKey, keyDescription, type SigningAlg } from "./signing-algorithms";
import { x5t, x5tS256 } from "./thumbprints";

/** The public members of a key, in JWK form (no kid, use or alg). */
export type PublicKeyMembers =
  | { kty: "RSA"; n: string; e: string }
  | { kty: "EC"; crv: string; x: string; y: string }
  | { kty: "OKP"; crv: string; x: string };

/** The certificate members of a JWK (RFC 7517 §4.7–4.9). */
export interface CertificateJwkMembers {
  /** Standard base64 DER, leaf first, no armour, no line breaks. */
  x5c: string[];
  x5t: string;
  "x5t#S256": string;
}

/** A published signing key. */
export interface PublicSigningJwk {
  kty: "RSA" | "EC" | "OKP";
  kid: string;
  use: "sig";
  alg: SigningAlg;
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
  x5c?: string[];
  x5t?: string;
  "x5t#S256"?: string;
}

/**
 * The public members of a key (private or public KeyObject) as a JWK:
 * RSA `kty, n, e`; EC `kty, crv, x, y`; OKP `kty, crv, x`. This is what the
 * RFC 7638 thumbprint is computed over.
 *
 * @throws KeyInputError `unsupported_key_type` for keys without a JWK form.
 * @example
 * publicKeyJwk(rsaPrivateKey); // { kty: "RSA", n: "0vx7…", e: "AQAB" }
 */
export function publicKeyJwk(key: KeyObject): PublicKeyMembers {
  const { kty } = keyDescription(key);
  const exported = publicKeyObject(key).export({ format: "jwk" });
  const member = (name: string): string => {
    const value = exported[name];
    if (typeof value !== "string") throw new Error(`the ${kty} key's JWK export has no "${name}"`);
    return value;
  };
  if (kty === "RSA") return { kty, n: member("n"), e: member("e") };
  if (kty === "EC") return { kty, crv: member("crv"), x: member("x"), y: member("y") };
  return { kty, crv: member("crv"), x: member("x") };
}

/**
 * `x5c`, `x5t` and `x5t#S256` for a chain (DER, leaf first); the thumbprints
 * are the leaf's.
 *
 * @example
 * const members = certificateJwkMembers(chain.certificates);
 * const updated = { ...storedJwk, ...members };
 */
export function certificateJwkMembers(certificates: readonly Uint8Array[]): CertificateJwkMembers {
  const [leaf] = certificates;
  if (!leaf) throw new Error("certificateJwkMembers needs at least the leaf certificate");
  return {
    x5c: certificates.map((der) => Buffer.from(der).toString("base64")),
    x5t: x5t(leaf),
    "x5t#S256": x5tS256(leaf),
  };
}

/**
 * The JWK to publish for a signing key: the public members, `kid`,
 * `use: "sig"`, `alg`, and with certificates `x5c`, `x5t` and `x5t#S256`.
 * Accepts the private KeyObject (the public part is derived) or the public
 * one.
 *
 * @throws KeyInputError `alg_mismatch` when `alg` cannot be used with the key.
 * @example
 * const jwk = publicJwk(privateKey, { alg: "PS256", kid, certificates: chain.certificates });
 * // { kty: "RSA", kid, use: "sig", alg: "PS256", n: "…", e: "AQAB", x5c: ["MIID…"], x5t: "…", "x5t#S256": "…" }
 */
export function publicJwk(
  key: KeyObject,
  options: { alg: SigningAlg; kid: string; certificates?: readonly Uint8Array[] },
): PublicSigningJwk {
  if (!algsForKey(key).includes(options.alg)) {
    throw new KeyInputError("alg_mismatch", `alg: ${options.alg} cannot be used with this key (${describeKey(key)})`, "alg");
  }
  const members = publicKeyJwk(key);
  const jwk: PublicSigningJwk = { kty: members.kty, kid: options.kid, use: "sig", alg: options.alg };
  if (members.kty === "RSA") {
    jwk.n = members.n;
    jwk.e = members.e;
  } else {
    jwk.crv = members.crv;
    jwk.x = members.x;
    if (members.kty === "EC") jwk.y = members.y;
  }
  if (options.certificates && options.certificates.length > 0) {
    const cert = certificateJwkMembers(options.certificates);
    jwk.x5c = cert.x5c;
    jwk.x5t = cert.x5t;
    jwk["x5t#S256"] = cert["x5t#S256"];
  }
  return jwk;
}

/**
 * The public key as SPKI PEM ("-----BEGIN PUBLIC KEY-----"), for relying
 * parties that configure keys as PEM.
 *
 * @example
 * publicKeyPem(privateKey); // "-----BEGIN PUBLIC KEY-----\nMIIBIjAN…\n-----END PUBLIC KEY-----\n"
 */
export function publicKeyPem(key: KeyObject): string {
  return publicKeyObject(key).export({ type: "spki", format: "pem" }).toString();
}

/**
 * The public KeyObject of a private or public key (node's `createPublicKey`
 * refuses a KeyObject that is already public).
 *
 * @throws TypeError for a secret (symmetric) KeyObject.
 * @example
 * publicKeyObject(privateKey).type; // "public"
 */
export function publicKeyObject(key: KeyObject): KeyObject {
  if (key.type === "public") return key;
  if (key.type === "private") return createPublicKey(key);
  throw new TypeError("a symmetric key has no public part");
}
