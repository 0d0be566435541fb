import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { env } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { requireRole, type Actor } from "@/lib/auth/roles";
import { hashSecretToken } from "@/lib/auth/secret-token";
import { parseInput } from "@/lib/validation";
import { checkOutboundUrl, OutboundRefused } from "@/lib/jwks-fetch/outbound-policy";
import { inlineJwks } from "@/lib/idps/key-sources";
import { createClientSchema, type ClientView } from "@/lib/clients/schemas";

export type ClientRow = Prisma.ClientGetPayload<object>;

function decodeClaims(jwt: string): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export function toClientView(row: ClientRow): ClientView {
  return {
    clientId: row.clientId,
    name: row.name,
    status: row.status as ClientView["status"],
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod as ClientView["tokenEndpointAuthMethod"],
    grantTypes: JSON.parse(row.grantTypes) as string[],
    responseTypes: JSON.parse(row.responseTypes) as string[],
    redirectUris: JSON.parse(row.redirectUris) as string[],
    scope: row.scope,
    jwks: row.jwks ? (JSON.parse(row.jwks) as ClientView["jwks"]) : null,
    jwksUri: row.jwksUri,
    softwareId: row.softwareId,
    orgId: row.orgId,
    orgName: row.orgName,
    roles: JSON.parse(row.roles) as string[],
    tokenEndpointAuthSigningAlg: row.tokenEndpointAuthSigningAlg,
    idTokenSignedResponseAlg: row.idTokenSignedResponseAlg,
    requestObjectSigningAlg: row.requestObjectSigningAlg,
    tlsClientAuthSubjectDn: row.tlsClientAuthSubjectDn,
    registeredVia: row.registeredVia as ClientView["registeredVia"],
    softwareStatement: row.softwareStatement,
    softwareStatementClaims: row.softwareStatement ? decodeClaims(row.softwareStatement) : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

async function tenantId(slug: string): Promise<string> {
  const t = await db().tenant.findUnique({ where: { slug }, select: { id: true } });
  if (!t) throw notFound(`tenant "${slug}"`);
  return t.id;
}

export async function listClients(actor: Actor, slug: string): Promise<ClientView[]> {
  requireRole(actor, "viewer");
  const rows = await db().client.findMany({ where: { tenantId: await tenantId(slug) }, orderBy: { createdAt: "desc" }, take: 1000 });
  return rows.map(toClientView);
}

/**
 * Creates a client. A client_secret_basic client gets a secret in this answer
 * only (stored as a hash); a private_key_jwt client authenticates with its keys.
 */
export async function createClient(actor: Actor, slug: string, input: unknown): Promise<ClientView & { clientSecret?: string }> {
  requireRole(actor, "operator");
  const data = parseInput(createClientSchema, input);
  let jwksUri: string | null = null;
  if (data.jwksUri) {
    try {
      jwksUri = checkOutboundUrl(data.jwksUri, { allow: env().outboundAllow }).toString();
    } catch (error) {
      if (error instanceof OutboundRefused) throw new AppError("validation_failed", `jwksUri: ${error.message}`, [{ path: "jwksUri", message: error.message }]);
      throw error;
    }
  }
  const jwks = data.jwks ? JSON.stringify(inlineJwks(data.jwks)) : null;
  const secret = data.tokenEndpointAuthMethod === "client_secret_basic" ? randomBytes(32).toString("base64url") : undefined;
  const id = await tenantId(slug);
  const row = await db().$transaction(async (tx) => {
    const created = await tx.client.create({
      data: {
        tenantId: id,
        clientId: `kwc_${randomBytes(12).toString("base64url")}`,
        name: data.name,
        tokenEndpointAuthMethod: data.tokenEndpointAuthMethod,
        clientSecretHash: secret ? hashSecretToken(secret) : null,
        jwks,
        jwksUri,
        grantTypes: JSON.stringify(data.grantTypes),
        scope: data.scope,
        createdBy: actor.label,
      },
    });
    await recordAudit(tx, actor, {
      action: "client.create",
      target: { type: "client", id: created.clientId },
      tenantSlug: slug,
      after: { name: created.name, tokenEndpointAuthMethod: created.tokenEndpointAuthMethod, grantTypes: data.grantTypes, scope: created.scope },
    });
    return created;
  });
  return { ...toClientView(row), ...(secret ? { clientSecret: secret } : {}) };
}
