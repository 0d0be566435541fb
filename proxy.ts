import { withAuth } from "next-auth/middleware";

/**
 * Console pages need a session: visitors without one go to /login. This is the
 * first fence only; each page and every service checks the actor again.
 */
export default withAuth({
  pages: { signIn: "/login" },
});

export const config = {
  matcher: ["/", "/tenants/:path*", "/audit/:path*", "/admin/:path*", "/tools/:path*", "/settings/:path*"],
};
