import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { PROFILES, type ProfileId } from "@/lib/tenants/profiles";
import { publishedTenant, snapshot, type Snapshot } from "@/lib/protocol/published-state";
import { jsonSnapshot, protocolError } from "@/lib/protocol/jwks";
import { ASSERTION_ALGS } from "@/lib/idps/schemas";

/**
 * OpenID Provider / OAuth authorization server metadata of a tenant: its
 * endpoints (JWKS, token, Dynamic Client Registration), the grants, client
 * authentication methods and algorithms.
 */
export async function discoverySnapshot(slug: string): Promise<Snapshot> {
  const tenant = await publishedTenant(slug);
  if (!tenant) return protocolError(404, "not_found", `no tenant "${slug}"`);
  return snapshot(slug, "discovery", async () => {
    const issuer = `${env().publicUrl}/${tenant.slug}`;
    const profile = PROFILES[(tenant.profile in PROFILES ? tenant.profile : "generic") as ProfileId];
    const active = await db().signingKey.findFirst({ where: { tenantId: tenant.id, appId: null, state: "active" }, select: { alg: true } });
    const algs = [...profile.signingAlgs] as string[];
    // The active key's algorithm first: it is what tokens are signed with.
    if (active && algs.includes(active.alg)) algs.sort((a, b) => (a === active.alg ? -1 : b === active.alg ? 1 : 0));
    return jsonSnapshot(
      200,
      {
        issuer,
        jwks_uri: `${issuer}/oauth2/v1/certs`,
        token_endpoint: `${issuer}/oauth2/token`,
        registration_endpoint: `${issuer}/register`,
        grant_types_supported: ["urn:ietf:params:oauth:grant-type:jwt-bearer", "client_credentials"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "private_key_jwt", "tls_client_auth"],
        tls_client_certificate_bound_access_tokens: true,
        token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGS],
        id_token_signing_alg_values_supported: algs,
        access_token_signing_alg_values_supported: algs,
        request_object_signing_alg_values_supported: profile.signingAlgs,
      },
      { "cache-control": `public, max-age=${Math.min(tenant.jwksMaxAgeSeconds, 3600)}`, "access-control-allow-origin": "*" },
    );
  });
}
