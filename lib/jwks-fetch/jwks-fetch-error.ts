import type { OutboundRefused } from "./outbound-policy";

/** Stable reason a JWKS fetch failed. */
export type JwksFetchErrorCode =
  | "timeout"
  | "too_large"
  | "http_status"
  | "bad_json"
  | "bad_jwks"
  | "private_key_in_jwks"
  | "refused_address"
  | "too_many_redirects"
  | "network";

/**
 * A failed JWKS fetch: a stable `code`, a message an admin understands
 * ("the JWKS at https://… answered HTTP 500"), the URI, and the HTTP status
 * when there was one. Policy refusals (`refused_address`) carry the
 * `OutboundRefused` as `cause`, whose own code says which rule refused.
 *
 * @example
 * try {
 *   await fetchJwks(uri, { allow });
 * } catch (err) {
 *   if (err instanceof JwksFetchError && err.code === "timeout") showRetryHint(err.message);
 * }
 */
export class JwksFetchError extends Error {
  override readonly name = "JwksFetchError";
  /** The HTTP status that made the fetch fail (`http_status`), if any. */
  readonly httpStatus?: number;
  /** How long the attempt took, when known. */
  durationMs?: number;

  constructor(
    readonly code: JwksFetchErrorCode,
    message: string,
    readonly uri: string,
    options?: ErrorOptions & { httpStatus?: number },
  ) {
    super(message, options);
    this.httpStatus = options?.httpStatus;
  }
}

/**
 * The fetch error for an outbound-policy refusal, on the URI itself or on
 * a redirect hop (then the message says where the redirect pointed).
 *
 * @example
 * refusedFetch(uri, refusal, new URL("http://169.254.169.254/"));
 * // the JWKS at https://idp.example/jwks redirected to http://169.254.169.254/: redirect target points at …
 */
export function refusedFetch(uri: string, cause: OutboundRefused, redirectedTo?: URL): JwksFetchError {
  const message = redirectedTo ? `the JWKS at ${uri} redirected to ${redirectedTo.href}: ${cause.message}` : cause.message;
  return new JwksFetchError("refused_address", message, uri, { cause });
}
