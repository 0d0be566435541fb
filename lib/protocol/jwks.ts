import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { onlyPublicMembers } from "@/lib/crypto/jwk-members";
import { publishedTenant, snapshot, type Snapshot } from "@/lib/protocol/published-state";

/** States whose keys are in the JWKS: relying parties must be able to verify with them. */
export const PUBLISHED_STATES = ["active", "staged", "retired"] as const;
const ORDER: Record<string, number> = { active: 0, staged: 1, retired: 2 };

export function jsonSnapshot(status: number, value: unknown, headers: Record<string, string>): Snapshot {
  const body = Buffer.from(JSON.stringify(value));
  // A strong validator: the bytes' hash.
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
  return { status, body, etag, headers: { "content-type": "application/json", ...headers } };
}

/** A per-request JSON answer: never cached nor revalidated, so no ETag is computed. */
export function jsonAnswer(status: number, value: unknown, headers: Record<string, string>): Snapshot {
  return { status, body: Buffer.from(JSON.stringify(value)), etag: "", headers: { "content-type": "application/json", ...headers } };
}

/** A per-request error answer ({ error, error_description }), its code kept for the metrics' labels. */
export function errorAnswer(status: number, error: string, description: string, headers: Record<string, string>): Snapshot {
  return { ...jsonAnswer(status, { error, error_description: description }, headers), error };
}

export function protocolError(status: number, error: string, description: string): Snapshot {
  return jsonSnapshot(status, { error, error_description: description }, { "cache-control": "no-store" });
}

/**
 * The JWKS of a tenant (appId undefined: its tenant-wide keys) or of one app.
 * Public members only: the stored JWK was built by an allow-list, and is
 * re-filtered here so nothing else can leak through.
 */
export async function jwksSnapshot(slug: string, appId?: string): Promise<Snapshot> {
  const tenant = await publishedTenant(slug);
  if (!tenant) return protocolError(404, "not_found", `no tenant "${slug}"`);
  return snapshot(slug, `jwks:${appId ?? ""}`, async () => {
    const rows = await db().signingKey.findMany({
      where: { tenantId: tenant.id, appId: appId ?? null, state: { in: [...PUBLISHED_STATES] } },
      select: { publicJwk: true, state: true, activatedAt: true, createdAt: true },
    });
    if (appId !== undefined && rows.length === 0) {
      return protocolError(404, "not_found", `no app "${appId}" with its own signing keys in tenant "${slug}"`);
    }
    rows.sort((a, b) => (ORDER[a.state] ?? 9) - (ORDER[b.state] ?? 9) || b.createdAt.getTime() - a.createdAt.getTime());
    const keys = rows.map((r) => onlyPublicMembers(JSON.parse(r.publicJwk) as Record<string, unknown>));
    return jsonSnapshot(200, { keys }, {
      "cache-control": `public, max-age=${tenant.jwksMaxAgeSeconds}`,
      "access-control-allow-origin": "*",
    });
  });
}
