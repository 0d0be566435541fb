import { createPrivateKey, createPublicKey, randomUUID } from "node:crypto";
import { createLocalJWKSet, exportJWK, type JWSHeaderParameters, type JWK } from "jose";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { env } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { isUniqueViolation } from "@/lib/db/errors";
import { seal, unsealToString } from "@/lib/crypto/seal";
import { generateSigningKey } from "@/lib/crypto/generate-signing-key";
import { jwkThumbprint } from "@/lib/crypto/thumbprints";
import { signJwt } from "@/lib/crypto/sign-jwt";
import { checkedJwksUri } from "@/lib/jwks-fetch/checked-jwks-uri";
import { JwksFetchError } from "@/lib/jwks-fetch/jwks-fetch-error";
import { inlineJwks } from "@/lib/idps/key-sources";
import { remoteJwksCache } from "@/lib/idps/jwks-cache";
import { summarizeKeys } from "@/lib/idps/idp-keys";
import { directoryKeyAad } from "@/lib/directories/directory-key";
import { createDirectorySchema, issueSsaSchema, type DirectoryView } from "@/lib/directories/schemas";

export type DirectoryRow = Prisma.DirectoryGetPayload<object>;

/** The issuer name of a tenant's sandbox directory (the "iss" of the SSAs it issues). */
export const SANDBOX_ISSUER = "Keyward Sandbox Directory";

export function toDirectoryView(row: DirectoryRow): DirectoryView {
  let health: DirectoryView["health"] = null;
  if (row.jwksUri) {
    const h = remoteJwksCache().health(row.jwksUri);
    health = {
      status: h.lastError ? "failing" : h.lastSuccessAt ? "ok" : "not fetched yet",
      lastSuccessAt: h.lastSuccessAt ? new Date(h.lastSuccessAt).toISOString() : null,
      lastError: h.lastError?.message ?? null,
      keyCount: h.lastSuccessAt ? h.keyCount : null,
    };
  }
  return {
    id: row.id,
    name: row.name,
    issuer: row.issuer,
    environment: row.environment as DirectoryView["environment"],
    kind: row.sandboxKeySealed ? "sandbox" : "external",
    jwksUri: row.jwksUri,
    jwks: row.jwks ? (JSON.parse(row.jwks) as DirectoryView["jwks"]) : null,
    enabled: row.enabled,
    health,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

async function tenantOf(slug: string) {
  const tenant = await db().tenant.findUnique({ where: { slug }, select: { id: true, slug: true } });
  if (!tenant) throw notFound(`tenant "${slug}"`);
  return tenant;
}

async function directoryRow(slug: string, id: string): Promise<DirectoryRow> {
  const tenant = await tenantOf(slug);
  const row = await db().directory.findFirst({ where: { id, tenantId: tenant.id } });
  if (!row) throw notFound(`directory "${id}"`);
  return row;
}


const summary = (r: DirectoryRow) => ({ name: r.name, issuer: r.issuer, environment: r.environment, jwksUri: r.jwksUri, sandbox: r.sandboxKeySealed !== null, enabled: r.enabled });

export async function listDirectories(actor: Actor, slug: string): Promise<DirectoryView[]> {
  requireTenantRole(actor, "viewer", slug);
  const tenant = await tenantOf(slug);
  const rows = await db().directory.findMany({ where: { tenantId: tenant.id }, orderBy: { createdAt: "asc" }, take: 200 });
  return rows.map(toDirectoryView);
}

export async function getDirectory(actor: Actor, slug: string, id: string): Promise<DirectoryView> {
  requireTenantRole(actor, "viewer", slug);
  return toDirectoryView(await directoryRow(slug, id));
}

/**
 * Adds a trust anchor for software statements: a real directory (its issuer,
 * environment and keys), or a sandbox directory whose key Keyward generates
 * and keeps sealed, to issue test SSAs for this tenant.
 */
export async function createDirectory(actor: Actor, slug: string, input: unknown): Promise<DirectoryView> {
  requireTenantRole(actor, "operator", slug);
  const data = parseInput(createDirectorySchema, input);
  const tenant = await tenantOf(slug);
  const id = randomUUID();
  let fields: { name: string; issuer: string; environment: string; jwksUri: string | null; jwks: string | null; sandboxKeySealed: string | null };
  if (data.kind === "sandbox") {
    const key = await generateSigningKey("PS256");
    const publicJwk = (await exportJWK(createPublicKey(key))) as JWK;
    const jwk = { ...publicJwk, kid: await jwkThumbprint(publicJwk), use: "sig", alg: "PS256" };
    fields = {
      name: data.name,
      issuer: SANDBOX_ISSUER,
      environment: "sandbox",
      jwksUri: null,
      jwks: JSON.stringify({ keys: [jwk] }),
      sandboxKeySealed: seal(key.export({ type: "pkcs8", format: "pem" }).toString(), env().kek, directoryKeyAad(tenant.id, id)),
    };
  } else {
    fields = {
      name: data.name,
      issuer: data.issuer,
      environment: data.environment,
      jwksUri: data.jwksUri ? checkedJwksUri(data.jwksUri) : null,
      jwks: data.jwks ? JSON.stringify(inlineJwks(data.jwks)) : null,
      sandboxKeySealed: null,
    };
  }
  try {
    const row = await db().$transaction(async (tx) => {
      const created = await tx.directory.create({ data: { id, tenantId: tenant.id, ...fields, createdBy: actor.label } });
      await recordAudit(tx, actor, { action: "directory.create", target: { type: "directory", id }, tenantSlug: slug, after: summary(created) });
      return created;
    });
    return toDirectoryView(row);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", `a directory with the issuer "${fields.issuer}" for ${fields.environment} already exists in this tenant`, [
        { path: data.kind === "sandbox" ? "kind" : "issuer", message: `is already configured for ${fields.environment}` },
      ]);
    }
    throw error;
  }
}

export async function deleteDirectory(actor: Actor, slug: string, id: string): Promise<void> {
  requireTenantRole(actor, "operator", slug);
  const row = await directoryRow(slug, id);
  await db().$transaction(async (tx) => {
    await tx.directory.delete({ where: { id: row.id } });
    await recordAudit(tx, actor, { action: "directory.delete", target: { type: "directory", id }, tenantSlug: slug, before: summary(row) });
  });
}

/** Fetches the directory's keys now (the console's Test button); a failing upstream is a 502 naming the fault. */
export async function refreshDirectoryKeys(actor: Actor, slug: string, id: string) {
  requireTenantRole(actor, "operator", slug);
  const row = await directoryRow(slug, id);
  if (!row.jwksUri) return { keys: summarizeKeys((JSON.parse(row.jwks ?? '{"keys":[]}') as { keys: Record<string, unknown>[] }).keys), fetchedAt: null };
  try {
    const result = await remoteJwksCache().refresh(row.jwksUri);
    return { keys: summarizeKeys(result.keys as unknown as Record<string, unknown>[]), fetchedAt: new Date(result.fetchedAt).toISOString() };
  } catch (error) {
    if (error instanceof JwksFetchError) throw new AppError("upstream_failed", error.message);
    throw error;
  }
}

/** The directories that may have signed an SSA with this issuer, for this environment (or any). */
export async function directoriesFor(tenantId: string, issuer: string): Promise<DirectoryRow[]> {
  return db().directory.findMany({ where: { tenantId, issuer, enabled: true } });
}

/** A jose key resolver over a directory's keys (fetched through the remote JWKS cache, or inline). */
export function directoryKeys(row: DirectoryRow): (header: JWSHeaderParameters) => Promise<CryptoKey> {
  if (row.jwksUri) return remoteJwksCache().resolver(row.jwksUri);
  return createLocalJWKSet(JSON.parse(row.jwks ?? '{"keys":[]}')) as never;
}

/**
 * Issues a software statement from the tenant's sandbox directory, shaped
 * like the Open Banking directory's, so a bank can try its onboarding end to
 * end without the real directory. Audited; the SSA itself is public.
 */
export async function issueSandboxSsa(actor: Actor, slug: string, id: string, input: unknown) {
  requireTenantRole(actor, "operator", slug);
  const data = parseInput(issueSsaSchema, input);
  const row = await directoryRow(slug, id);
  if (!row.sandboxKeySealed) throw new AppError("conflict", `directory "${row.name}" is not a sandbox directory: only the real directory issues its SSAs`);
  const kid = (JSON.parse(row.jwks!) as { keys: { kid: string }[] }).keys[0]!.kid;
  const privateKey = createPrivateKey(unsealToString(row.sandboxKeySealed, env().kek, directoryKeyAad(row.tenantId, row.id)));
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: row.issuer,
    iat: now,
    jti: randomUUID(),
    software_environment: "sandbox",
    software_mode: "Test",
    software_id: data.softwareId,
    software_client_id: data.softwareId,
    software_client_name: data.softwareClientName,
    software_redirect_uris: data.redirectUris,
    software_roles: data.roles,
    ...(data.softwareJwksEndpoint ? { software_jwks_endpoint: data.softwareJwksEndpoint } : { software_jwks: data.softwareJwks }),
    org_id: data.orgId,
    org_name: data.orgName,
    org_status: "Active",
  };
  const softwareStatement = await signJwt({ privateKey, alg: "PS256", kid, claims, typ: "JWT" });
  await db().$transaction((tx) =>
    recordAudit(tx, actor, {
      action: "directory.issue_ssa",
      target: { type: "directory", id },
      tenantSlug: slug,
      after: { softwareId: data.softwareId, orgId: data.orgId, redirectUris: data.redirectUris, jti: claims.jti },
    }),
  );
  return { softwareStatement, claims };
}
