import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { env } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { requireRole, type Actor } from "@/lib/auth/roles";
import { hashSecretToken } from "@/lib/auth/secret-token";
import { parseInput } from "@/lib/validation";
import { checkedJwksUri } from "@/lib/jwks-fetch/checked-jwks-uri";
import { inlineJwks } from "@/lib/idps/key-sources";
import { createClientSchema, listClientsQuerySchema, updateClientSchema, type ClientView } from "@/lib/clients/schemas";
import { decodeCursor, encodeCursor, toPage, type Page } from "@/lib/pagination";
import { providerFromUrl } from "@/lib/db/provider";

export type ClientRow = Prisma.ClientGetPayload<object>;

function decodeClaims(jwt: string): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The columns a client's public view is made of (no secret hashes). */
const VIEW_COLUMNS = {
  id: true,
  clientId: true,
  name: true,
  status: true,
  tokenEndpointAuthMethod: true,
  grantTypes: true,
  responseTypes: true,
  redirectUris: true,
  scope: true,
  jwks: true,
  jwksUri: true,
  softwareId: true,
  orgId: true,
  orgName: true,
  roles: true,
  tokenEndpointAuthSigningAlg: true,
  idTokenSignedResponseAlg: true,
  requestObjectSigningAlg: true,
  tlsClientAuthSubjectDn: true,
  registeredVia: true,
  softwareStatement: true,
  createdBy: true,
  createdAt: true,
} satisfies Prisma.ClientSelect;
type ClientViewRow = Prisma.ClientGetPayload<{ select: typeof VIEW_COLUMNS }>;

export function toClientView(row: ClientViewRow): ClientView {
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

/**
 * How many clients one search page reads at most. A search (`q`) is a substring
 * match, which no index serves: it reads the tenant's clients newest first and
 * keeps the matching ones. So that a search costs the same in a tenant of any
 * size, one page examines at most this many clients; when they hold fewer
 * matches than the page size, the page is short and its cursor continues the
 * search after the last client examined.
 */
export const SEARCH_WINDOW = 2000;

/**
 * A page of a tenant's clients, newest first, with search (client_id, name,
 * software_id, organisation) and filters; cursor pagination by id (ids are
 * time-ordered), so a deep page costs the same as the first. Each filter
 * (status, auth method, registration source) has an index (tenantId, filter,
 * id): a page is one index range, whatever the filters. A page may hold fewer
 * items than `limit` (a search, see SEARCH_WINDOW) and still have a next page:
 * `nextCursor` alone says whether there is more.
 */
export async function listClients(actor: Actor, slug: string, query: unknown = {}): Promise<Page<ClientView>> {
  requireRole(actor, "viewer");
  const q = parseInput(listClientsQuerySchema, query ?? {});
  const cursor = decodeCursor(q.cursor);
  const where: Prisma.ClientWhereInput = {
    tenantId: await tenantId(slug),
    ...(q.status ? { status: q.status } : {}),
    ...(q.authMethod ? { tokenEndpointAuthMethod: q.authMethod } : {}),
    ...(q.registeredVia ? { registeredVia: q.registeredVia } : {}),
    ...(cursor ? { id: { lt: cursor } } : {}),
  };
  if (!q.q) {
    const rows = await db().client.findMany({ where, orderBy: { id: "desc" }, take: q.limit + 1, select: VIEW_COLUMNS });
    return toPage(rows, q.limit, toClientView);
  }
  // The last client of this page's search window, read from the index alone;
  // none when no client remains beyond the window.
  const [last, beyond] = await db().client.findMany({ where, orderBy: { id: "desc" }, skip: SEARCH_WINDOW - 1, take: 2, select: { id: true } });
  const edge = beyond ? last : undefined;
  const insensitive = providerFromUrl(env().databaseUrl) === "postgresql" ? { mode: "insensitive" as const } : {};
  const search = (["clientId", "name", "softwareId", "orgName", "orgId"] as const).map((field) => ({ [field]: { contains: q.q, ...insensitive } }));
  const rows = await db().client.findMany({
    where: { AND: [where, ...(edge ? [{ id: { gte: edge.id } }] : [])], OR: search },
    orderBy: { id: "desc" },
    take: q.limit + 1,
    select: VIEW_COLUMNS,
  });
  const page = toPage(rows, q.limit, toClientView);
  // Fewer matches than a page in a full window: the search goes on after it.
  return page.nextCursor === null && edge ? { items: page.items, nextCursor: encodeCursor(edge.id) } : page;
}

async function clientRow(slug: string, clientId: string): Promise<ClientRow> {
  const row = await db().client.findFirst({ where: { tenantId: await tenantId(slug), clientId } });
  if (!row) throw notFound(`client "${clientId}"`);
  return row;
}

export async function getClient(actor: Actor, slug: string, clientId: string): Promise<ClientView> {
  requireRole(actor, "viewer");
  return toClientView(await clientRow(slug, clientId));
}

const clientSummary = (r: ClientRow) => ({ name: r.name, status: r.status, scope: r.scope, tokenEndpointAuthMethod: r.tokenEndpointAuthMethod, registeredVia: r.registeredVia });

/** Renames a client, changes its scope, suspends or reactivates it (a suspended client gets no tokens). */
export async function updateClient(actor: Actor, slug: string, clientId: string, input: unknown): Promise<ClientView> {
  requireRole(actor, "operator");
  const data = parseInput(updateClientSchema, input ?? {});
  const row = await clientRow(slug, clientId);
  const updated = await db().$transaction(async (tx) => {
    const next = await tx.client.update({ where: { id: row.id }, data });
    const action = data.status && data.status !== row.status ? (data.status === "suspended" ? "client.suspend" : "client.reactivate") : "client.update";
    await recordAudit(tx, actor, { action, target: { type: "client", id: clientId }, tenantSlug: slug, before: clientSummary(row), after: clientSummary(next) });
    return next;
  });
  return toClientView(updated);
}

/** Deletes a client: it gets no more tokens and its registration (DCR) is gone. */
export async function deleteClient(actor: Actor, slug: string, clientId: string): Promise<void> {
  requireRole(actor, "operator");
  const row = await clientRow(slug, clientId);
  await db().$transaction(async (tx) => {
    await tx.client.delete({ where: { id: row.id } });
    await recordAudit(tx, actor, { action: "client.delete", target: { type: "client", id: clientId }, tenantSlug: slug, before: clientSummary(row) });
  });
}

/**
 * Creates a client. A client_secret_basic client gets a secret in this answer
 * only (stored as a hash); a private_key_jwt client authenticates with its keys.
 */
export async function createClient(actor: Actor, slug: string, input: unknown): Promise<ClientView & { clientSecret?: string }> {
  requireRole(actor, "operator");
  const data = parseInput(createClientSchema, input);
  const jwksUri = data.jwksUri ? checkedJwksUri(data.jwksUri) : null;
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
        tlsClientAuthSubjectDn: data.tlsClientAuthSubjectDn ?? null,
        softwareId: data.softwareId ?? null,
        orgId: data.orgId ?? null,
        orgName: data.orgName ?? null,
        roles: JSON.stringify(data.roles ?? []),
        redirectUris: JSON.stringify(data.redirectUris ?? []),
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
