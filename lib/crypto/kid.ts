/**
 * How a signing key's `kid` is made.
 *
 * - "thumbprint": the RFC 7638 JWK thumbprint — stable, derived from the key
 *   alone, the same wherever the key is published;
 * - "x5t" / "x5t#S256": the certificate's SHA-1 / SHA-256 thumbprint — what
 *   many authorization servers publish (the tenant JWKS example in
 *   PRODUCT.md has kid = x5t), so relying parties can match a kid against
 *   the certificate they were given;
 * - "given": a kid chosen elsewhere, typically issued by the central
 *   directory (Open Finance Brazil), which must be used as is.
 *
 * Default (when no strategy is chosen): "given" when a kid is given;
 * otherwise "x5t" when there is a certificate (the kid then equals the
 * published x5t, as in the reference example); otherwise "thumbprint".
 */
import type { JWK } from "jose";
import { KeyInputError } from "./key-input-error";
import { jwkThumbprint, x5t, x5tS256 } from "./thumbprints";

/** The ways a kid can be made. */
export const KID_STRATEGIES = ["thumbprint", "x5t", "x5t#S256", "given"] as const;

/** One of {@link KID_STRATEGIES}. */
export type KidStrategy = (typeof KID_STRATEGIES)[number];

// RFC 7517 allows any string; we keep kids that survive headers, URLs, logs
// and copy/paste unchanged: printable ASCII, no spaces, at most 256.
const KID_PATTERN = /^[\x21-\x7e]{1,256}$/;

/**
 * Tells whether `value` is one of {@link KID_STRATEGIES}.
 *
 * @example
 * isKidStrategy("x5t#S256"); // true
 */
export function isKidStrategy(value: unknown): value is KidStrategy {
  return typeof value === "string" && (KID_STRATEGIES as readonly string[]).includes(value);
}

/**
 * The strategy used when none is chosen: "given" with a kid, else "x5t" with
 * a certificate, else "thumbprint".
 *
 * @example
 * defaultKidStrategy({ hasCertificate: true });                    // "x5t"
 * defaultKidStrategy({ hasCertificate: false });                   // "thumbprint"
 * defaultKidStrategy({ given: "dir-issued-kid", hasCertificate: true }); // "given"
 */
export function defaultKidStrategy(options: { given?: string; hasCertificate: boolean }): KidStrategy {
  if (options.given) return "given";
  return options.hasCertificate ? "x5t" : "thumbprint";
}

/**
 * Checks a given kid: 1–256 printable ASCII characters, no whitespace.
 *
 * @throws KeyInputError `bad_kid` (field "kid").
 * @example
 * validateKid("2Un8cDkE-_VnkrHd9gEBK3pPZ0A"); // returns it unchanged
 * validateKid("my key");                      // throws bad_kid
 */
export function validateKid(kid: string): string {
  if (typeof kid !== "string" || !KID_PATTERN.test(kid)) {
    const why =
      typeof kid !== "string" || kid.length === 0
        ? "is empty"
        : kid.length > 256
          ? `is ${kid.length} characters long (at most 256)`
          : /\s/.test(kid)
            ? "contains whitespace"
            : "contains characters outside printable ASCII";
    throw new KeyInputError("bad_kid", `kid: the kid ${why}; use 1–256 printable ASCII characters without spaces`, "kid");
  }
  return kid;
}

/**
 * Makes the kid for a key.
 *
 * @param options.strategy - how; defaults per {@link defaultKidStrategy}.
 * @param options.jwk - the key's public members (see `publicKeyJwk`), for "thumbprint".
 * @param options.leafDer - the leaf certificate's DER, for "x5t" / "x5t#S256".
 * @param options.given - the kid to use, for "given" (an empty string counts as none).
 * @throws KeyInputError `bad_kid`: a certificate strategy without a
 *   certificate, "given" without a kid, a kid given with another strategy,
 *   an invalid kid, or an unknown strategy.
 * @example
 * await deriveKid({ jwk: publicKeyJwk(key) });                               // RFC 7638 thumbprint
 * await deriveKid({ jwk: publicKeyJwk(key), leafDer });                      // x5t of the certificate
 * await deriveKid({ strategy: "given", jwk: publicKeyJwk(key), given: "…" }); // the directory's kid
 */
export async function deriveKid(options: {
  strategy?: KidStrategy;
  jwk: JWK;
  leafDer?: Uint8Array;
  given?: string;
}): Promise<string> {
  const given = options.given === "" ? undefined : options.given;
  const strategy = options.strategy ?? defaultKidStrategy({ given, hasCertificate: options.leafDer !== undefined });
  if (!isKidStrategy(strategy)) {
    throw new KeyInputError(
      "bad_kid",
      `kid: unknown kid strategy "${String(strategy)}"; use one of ${KID_STRATEGIES.join(", ")}`,
      "kid",
    );
  }
  if (strategy === "given") {
    if (given === undefined) throw new KeyInputError("bad_kid", 'kid: the kid strategy is "given"; enter the kid', "kid");
    return validateKid(given);
  }
  if (given !== undefined) {
    // Silently dropping a kid the admin typed would publish a kid they did
    // not expect; say which of the two wins instead.
    throw new KeyInputError(
      "bad_kid",
      `kid: a kid was given, but the kid strategy is "${strategy}"; choose the strategy "given" or leave the kid empty`,
      "kid",
    );
  }
  if (strategy === "thumbprint") return jwkThumbprint(options.jwk);
  if (!options.leafDer) {
    throw new KeyInputError(
      "bad_kid",
      `kid: the kid strategy "${strategy}" needs a certificate; add the certificate or use "thumbprint"`,
      "kid",
    );
  }
  return strategy === "x5t" ? x5t(options.leafDer) : x5tS256(options.leafDer);
}
