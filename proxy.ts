import { NextResponse } from "next/server";
import { withAuth } from "next-auth/middleware";

/** Pages a signed-out visitor may open: the sign-in page and one-time password links. */
const PUBLIC_PAGES = [/^\/login\/?$/, /^\/invite\/[^/]+\/?$/];

/**
 * A per-request content security policy: scripts run only with this request's
 * nonce (Next puts it on its own scripts when it finds the policy on the
 * request), so an injected inline script never runs.
 */
function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Every page needs a session, except the public ones: visitors without one go
 * to /login. This is the first fence only; each page and every service checks
 * the actor again.
 */
export default withAuth(
  function proxy(request) {
    const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
    const policy = contentSecurityPolicy(nonce);
    const headers = new Headers(request.headers);
    headers.set("x-nonce", nonce);
    headers.set("content-security-policy", policy);
    const response = NextResponse.next({ request: { headers } });
    response.headers.set("content-security-policy", policy);
    return response;
  },
  {
    pages: { signIn: "/login" },
    callbacks: {
      authorized: ({ req, token }) => token !== null || PUBLIC_PAGES.some((p) => p.test(req.nextUrl.pathname)),
    },
  },
);

export const config = {
  // Pages only: the admin API authenticates itself (bearer token or session)
  // and answers 401 problem+json rather than a redirect.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
