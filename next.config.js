// @ts-check
/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  typedRoutes: false,
  // The custom server (server.ts) serves the app; standalone output is not used.
  serverExternalPackages: ["@node-rs/argon2", "@libsql/client", "pg"],
};

export default nextConfig;
