import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { onlyPublicMembers } from "@/lib/crypto/jwk-members";
import { CONFIG_FORMAT, type TenantConfig } from "@/lib/tenants/config-schema";
import { PROFILE_IDS, type ProfileId } from "@/lib/tenants/profiles";
import type { SigningKeyView } from "@/lib/keys/schemas";

/**
 * The tenant's whole configuration, public parts only: settings, the signing
 * keys by kid and public JWK, and which key signs. Never private material.
 */
export async function exportTenantConfig(actor: Actor, slug: string): Promise<TenantConfig> {
  requireTenantRole(actor, "viewer", slug);
  const tenant = await db().tenant.findUnique({ where: { slug }, include: { signingKeys: { orderBy: { createdAt: "asc" } } } });
  if (!tenant) throw notFound(`tenant "${slug}"`);
  const live = tenant.signingKeys.filter((k) => k.state !== "removed" && k.state !== "revoked");
  const apps: Record<string, string> = {};
  for (const k of live) if (k.state === "active" && k.appId) apps[k.appId] = k.kid;
  return {
    format: CONFIG_FORMAT,
    exportedAt: new Date().toISOString(),
    tenant: {
      slug: tenant.slug,
      name: tenant.name,
      profile: ((PROFILE_IDS as string[]).includes(tenant.profile) ? tenant.profile : "generic") as ProfileId,
      jwksMaxAgeSeconds: tenant.jwksMaxAgeSeconds,
    },
    rotationPolicy: {
      propagationSeconds: tenant.propagationSeconds,
      retentionSeconds: tenant.retentionSeconds,
      rotationIntervalSeconds: tenant.rotationIntervalSeconds,
      algorithm: tenant.rotationAlg as SigningKeyView["alg"] | null,
      autoActivate: tenant.autoActivate,
      expiryWarningDays: tenant.expiryWarningDays,
      accessTokenTtlSeconds: tenant.accessTokenTtlSeconds,
    },
    signing: { activeKid: live.find((k) => k.state === "active" && !k.appId)?.kid ?? null, apps },
    signingKeys: live.map((k) => ({
      kid: k.kid,
      alg: k.alg as SigningKeyView["alg"],
      state: k.state as SigningKeyView["state"],
      appId: k.appId,
      kidStrategy: k.kidStrategy,
      publicJwk: onlyPublicMembers(JSON.parse(k.publicJwk) as Record<string, unknown>) as SigningKeyView["publicJwk"],
    })),
  };
}
