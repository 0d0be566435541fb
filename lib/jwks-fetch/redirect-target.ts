/**
 * Where a redirect may lead a JWKS fetch. Each hop gets the same outbound
 * policy as the URI itself, and https never turns into plain http even for
 * allowed hosts: the admin registered an https URI and is owed TLS to the end.
 */
import { JwksFetchError, refusedFetch } from "./jwks-fetch-error";
import { checkOutboundUrl, OutboundRefused } from "./outbound-policy";

/** A redirect answer and where the fetch stands. */
export interface RedirectHop {
  /** The URI the fetch was asked for (for messages). */
  uri: string;
  /** The URL that answered with the redirect. */
  current: URL;
  /** Its Location header. */
  location: string | undefined;
  statusCode: number;
  /** Redirects followed so far. */
  hop: number;
  maxRedirects: number;
  allow: readonly string[];
}

/**
 * The next URL to fetch after a redirect, or the reason not to.
 *
 * @throws JwksFetchError `too_many_redirects`, `http_status` (no or bad
 *   Location) or `refused_address` (downgrade to http, or the target
 *   refused by the outbound policy).
 * @example
 * redirectTarget({ uri, current: new URL(uri), location: "/v2/jwks", statusCode: 302, hop: 0, maxRedirects: 3, allow: [] });
 * // URL "https://idp.example/v2/jwks"
 */
export function redirectTarget(redirect: RedirectHop): URL {
  const { uri, current, location, statusCode, hop, maxRedirects, allow } = redirect;
  if (location === undefined) {
    throw new JwksFetchError("http_status", `the JWKS at ${uri} answered HTTP ${statusCode} without a Location`, uri, { httpStatus: statusCode });
  }
  if (hop >= maxRedirects) {
    throw new JwksFetchError("too_many_redirects", `the JWKS at ${uri} redirected more than ${maxRedirects} times`, uri);
  }
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    throw new JwksFetchError("http_status", `the JWKS at ${uri} redirected to an invalid Location (${location})`, uri, { httpStatus: statusCode });
  }
  if (current.protocol === "https:" && next.protocol === "http:") {
    throw refusedFetch(uri, new OutboundRefused("https_downgrade", "a redirect from https to plain http is refused"), next);
  }
  try {
    return checkOutboundUrl(next, { allow, label: "redirect target" });
  } catch (error) {
    throw refusedFetch(uri, error as OutboundRefused, next);
  }
}
