/**
 * Which keys may sign, with which JWS algorithms.
 *
 * The set is deliberately small: what FAPI 1/2 and the open-banking profiles
 * allow (PS256, ES256) plus what generic relying parties commonly verify
 * (RS256, ES384, EdDSA). Key types outside it are refused at import, so that
 * nothing is ever published that relying parties cannot use.
 */
import type { KeyObject } from "node:crypto";
import { KeyInputError, type KeyInputField } from "./key-input-error";

/** The JWS algorithms Keyward signs with. */
export const SIGNING_ALGS = ["PS256", "RS256", "ES256", "ES384", "EdDSA"] as const;

/** One of {@link SIGNING_ALGS}. */
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/** A key's type in JWK terms: `kty`, and the size (RSA) or curve (EC, OKP). */
export interface KeyDescription {
  kty: "RSA" | "EC" | "OKP";
  bits?: number;
  crv?: string;
}

// OpenSSL's curve names → the JOSE names (RFC 7518 §6.2.1.1, RFC 8812).
const JOSE_CURVES: Record<string, string> = {
  prime256v1: "P-256",
  secp384r1: "P-384",
  secp521r1: "P-521",
  secp256k1: "secp256k1",
};

const OKP_CURVES: Record<string, string> = {
  ed25519: "Ed25519",
  ed448: "Ed448",
  x25519: "X25519",
  x448: "X448",
};

const MIN_RSA_BITS = 2048;

/**
 * Tells whether `value` is one of {@link SIGNING_ALGS}.
 *
 * @example
 * if (!isSigningAlg(header.alg)) throw new Error("unsupported alg");
 */
export function isSigningAlg(value: unknown): value is SigningAlg {
  return typeof value === "string" && (SIGNING_ALGS as readonly string[]).includes(value);
}

/**
 * Describes a key (private or public) by its JWK type and size or curve.
 *
 * @param field - the field to blame if the key has no JWK form (DSA, DH,
 *   RSA-PSS-restricted keys).
 * @throws KeyInputError `unsupported_key_type` for key types that have no
 *   JWK representation.
 * @example
 * keyDescription(createPrivateKey(pem)); // { kty: "RSA", bits: 2048 }
 * keyDescription(ecKey);                 // { kty: "EC", crv: "P-256" }
 * keyDescription(edKey);                 // { kty: "OKP", crv: "Ed25519" }
 */
export function keyDescription(key: KeyObject, field: KeyInputField = "privateKeyPem"): KeyDescription {
  const type = key.asymmetricKeyType;
  if (type === "rsa") return { kty: "RSA", bits: key.asymmetricKeyDetails?.modulusLength ?? 0 };
  if (type === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? "unknown";
    return { kty: "EC", crv: JOSE_CURVES[curve] ?? curve };
  }
  const okp = type ? OKP_CURVES[type] : undefined;
  if (okp) return { kty: "OKP", crv: okp };
  throw unsupportedType(key, field);
}

/**
 * A short human description of a key for messages, e.g. "RSA 2048",
 * "EC P-256", "Ed25519", "DSA 2048". Never throws.
 *
 * @example
 * `this key is ${describeKey(key)}`; // "this key is RSA 2048"
 */
export function describeKey(key: KeyObject): string {
  const type = key.asymmetricKeyType ?? key.type;
  const details = key.asymmetricKeyDetails;
  if (type === "rsa" || type === "rsa-pss" || type === "dsa") {
    return `${type.toUpperCase()} ${details?.modulusLength ?? "?"}`;
  }
  if (type === "ec") {
    const curve = details?.namedCurve ?? "unknown";
    return `EC ${JOSE_CURVES[curve] ?? curve}`;
  }
  return OKP_CURVES[type] ?? type.toUpperCase();
}

/**
 * Refuses keys that must not sign for relying parties: RSA under 2048 bits,
 * EC curves other than P-256 and P-384, and key types that are not signature
 * keys usable with JWS (Ed448, X25519, X448, DSA, DH, RSA-PSS-restricted).
 * Ed25519 is accepted.
 *
 * @param field - the field that holds the key ("privateKeyPem" or "jwk").
 * @throws KeyInputError `weak_key`, `unsupported_curve` or `unsupported_key_type`.
 * @example
 * const key = parsePrivateKey(form.privateKeyPem, form.passphrase);
 * checkKeyStrength(key); // throws for an RSA 1024 or P-521 key
 */
export function checkKeyStrength(key: KeyObject, field: KeyInputField = "privateKeyPem"): void {
  const type = key.asymmetricKeyType;
  if (type === "rsa") {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) {
      throw new KeyInputError("weak_key", `RSA keys must be at least ${MIN_RSA_BITS} bits; this one has ${bits}`, field);
    }
    return;
  }
  if (type === "ec") {
    const { crv } = keyDescription(key, field);
    if (crv !== "P-256" && crv !== "P-384") {
      throw new KeyInputError(
        "unsupported_curve",
        `EC keys must be on P-256 (ES256) or P-384 (ES384); this one is on ${crv}`,
        field,
      );
    }
    return;
  }
  if (type === "ed25519") return;
  throw unsupportedType(key, field);
}

/**
 * The algorithms a key can sign with, most preferred first (PS256 before
 * RS256: FAPI requires PSS for RSA).
 *
 * @example
 * algsForKey(rsaKey);  // ["PS256", "RS256"]
 * algsForKey(p256Key); // ["ES256"]
 * algsForKey(edKey);   // ["EdDSA"]
 */
export function algsForKey(key: KeyObject): SigningAlg[] {
  const type = key.asymmetricKeyType;
  if (type === "rsa") return ["PS256", "RS256"];
  if (type === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === "prime256v1") return ["ES256"];
    if (curve === "secp384r1") return ["ES384"];
    return [];
  }
  if (type === "ed25519") return ["EdDSA"];
  return [];
}

/**
 * Picks the algorithm a key will sign with: the `requested` one if the key
 * can use it and the tenant allows it, otherwise the first of `allowed` that
 * suits the key (so an RSA key on an Open Banking UK tenant, allowed
 * ["PS256"], gets PS256).
 *
 * @param options.field - the field to blame (default "alg"): "jwk" when the
 *   requested alg came from the JWK's own "alg" member, the key's field when
 *   nothing was requested and no allowed algorithm suits the key.
 * @throws KeyInputError `alg_mismatch` (requested alg does not suit the key)
 *   or `alg_not_allowed` (requested alg not allowed, unknown, or no allowed
 *   alg suits the key).
 * @example
 * chooseAlg(rsaKey, { allowed: ["PS256"] });                     // "PS256"
 * chooseAlg(rsaKey, { requested: "RS256", allowed: SIGNING_ALGS }); // "RS256"
 * chooseAlg(rsaKey, { requested: "ES256", allowed: SIGNING_ALGS }); // throws alg_mismatch
 */
export function chooseAlg(
  key: KeyObject,
  options: { requested?: string; allowed: readonly SigningAlg[]; field?: KeyInputField },
): SigningAlg {
  const { requested, allowed } = options;
  const field = options.field ?? "alg";
  const suitable = algsForKey(key);
  const allowedText = allowed.length > 0 ? allowed.join(", ") : "none";
  const canSign = suitable.join(", ") || "nothing Keyward supports";
  if (requested !== undefined) {
    if (!isSigningAlg(requested)) {
      throw new KeyInputError(
        "alg_not_allowed",
        `${field}: "${requested.slice(0, 40)}" is not a supported signing algorithm; supported: ${SIGNING_ALGS.join(", ")}`,
        field,
      );
    }
    if (!suitable.includes(requested)) {
      throw new KeyInputError(
        "alg_mismatch",
        `${field}: ${requested} cannot be used with this key (${describeKey(key)}); it can sign with ${canSign}`,
        field,
      );
    }
    if (!allowed.includes(requested)) {
      throw new KeyInputError(
        "alg_not_allowed",
        `${field}: ${requested} is not allowed on this tenant; allowed: ${allowedText}`,
        field,
      );
    }
    return requested;
  }
  const chosen = allowed.find((alg) => suitable.includes(alg));
  if (!chosen) {
    throw new KeyInputError(
      "alg_not_allowed",
      `this key (${describeKey(key)}) can sign with ${canSign}, but the tenant allows only ${allowedText}`,
      field,
    );
  }
  return chosen;
}

function unsupportedType(key: KeyObject, field: KeyInputField): KeyInputError {
  const type = key.asymmetricKeyType;
  const described = describeKey(key);
  const why =
    type === "rsa-pss"
      ? "RSA-PSS-restricted keys (OID id-RSASSA-PSS) have no JWK form; use a plain RSA key (openssl genpkey -algorithm RSA) — PS256 still signs with PSS"
      : type === "x25519" || type === "x448"
        ? `${described} is a key-agreement key and cannot sign`
        : `${described} keys are not supported for signing`;
  return new KeyInputError(
    "unsupported_key_type",
    `${why}; use RSA (2048 bits or more), EC P-256, EC P-384 or Ed25519`,
    field,
  );
}
