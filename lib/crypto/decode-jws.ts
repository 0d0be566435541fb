/**
 * Reads a JWS in compact serialization (a signed JWT) strictly, before any
 * key is looked up: three base64url parts without padding, a header and a
 * payload that are UTF-8 JSON objects with no member twice (RFC 7515 §5.2,
 * RFC 7519 §7.2) and no absurd nesting. And which header members Keyward
 * never follows.
 *
 * jose decodes leniently (the last of two "alg" members wins; bytes that are
 * not UTF-8 become U+FFFD): fine once the signature verified, not for
 * deciding what to verify.
 */
import { parseStrictJson, StrictJsonError } from "@/lib/strict-json";

/** The decoded parts of a compact JWS. */
export interface DecodedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Refusal of a compact JWS's form; the message names the part and the fault. */
export class JwsFormatError extends Error {
  override readonly name = "JwsFormatError";
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function part(text: string, what: "header" | "payload"): Record<string, unknown> {
  if (text === "") throw new JwsFormatError(`the ${what} is empty`);
  if (!BASE64URL.test(text)) {
    const bad = /[^A-Za-z0-9_-]/.exec(text)?.[0] ?? "";
    throw new JwsFormatError(`the ${what} is not base64url: it contains ${JSON.stringify(bad)}${bad === "=" ? " (base64url in a JWS has no padding)" : ""}`);
  }
  const bytes = Buffer.from(text, "base64url");
  // A length of 4n+1 characters, or trailing bits that are not zero: not a base64url encoding of anything.
  if (bytes.toString("base64url") !== text) throw new JwsFormatError(`the ${what} is not valid base64url (its length or last character is wrong)`);
  let json: string;
  try {
    json = utf8.decode(bytes);
  } catch {
    throw new JwsFormatError(`the ${what} is not UTF-8 text`);
  }
  let value: unknown;
  try {
    value = parseStrictJson(json);
  } catch (error) {
    if (error instanceof StrictJsonError) throw new JwsFormatError(`the ${what} is ${error.code === "invalid_json" ? error.message : `refused: ${error.message}`}`);
    throw error;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new JwsFormatError(`the ${what} is ${Array.isArray(value) ? "a JSON array" : value === null ? "null" : `a JSON ${typeof value}`}, not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Decodes a compact JWS's header and payload, without verifying anything.
 *
 * @throws JwsFormatError naming what is wrong: not three parts, no signature,
 *   a part that is not base64url, not UTF-8, not a JSON object, or has a
 *   member twice.
 * @example
 * const { header, payload } = decodeCompactJws(assertion);
 * header.alg; // "PS256"
 */
export function decodeCompactJws(jws: string): DecodedJws {
  const parts = jws.split(".");
  if (parts.length !== 3) throw new JwsFormatError(`a signed JWT has three dot-separated parts; this has ${parts.length}`);
  const [h, p, s] = parts as [string, string, string];
  const header = part(h, "header");
  const payload = part(p, "payload");
  if (s === "") throw new JwsFormatError("the JWT has no signature (an unsecured JWT is never accepted)");
  if (!BASE64URL.test(s)) throw new JwsFormatError("the signature is not base64url");
  return { header, payload };
}

/** Header members that would make a verifier fetch or trust a key the JWT names itself. */
export const KEY_POINTING_HEADERS = ["jku", "x5u", "jwk", "x5c"] as const;

/**
 * What in a JWS header Keyward refuses to act on, or null: `jku`, `x5u`,
 * `jwk` or `x5c` (keys named by the JWT itself are never used; the signer's
 * registered keys are), any `crit` (no extension is understood here), and a
 * nested JWT (`cty: "JWT"`).
 *
 * @example
 * untrustedHeaderProblem({ alg: "PS256", jku: "https://evil.example/jwks" });
 * // 'the header carries jku: keys named by the JWT itself are never used'
 */
export function untrustedHeaderProblem(header: Record<string, unknown>): string | null {
  const pointing = KEY_POINTING_HEADERS.filter((h) => h in header);
  if (pointing.length > 0) return `the header carries ${pointing.join(", ")}: keys named by the JWT itself are never used`;
  if (header.crit !== undefined) return `the header marks ${JSON.stringify(header.crit)} as critical; no critical extension is understood here`;
  if (typeof header.cty === "string" && header.cty.toUpperCase() === "JWT") return 'the header says cty "JWT": nested JWTs are not accepted';
  return null;
}
