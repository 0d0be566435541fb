import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { env } from "@/lib/env";
import { AppError, fieldError, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { hashSecretToken } from "@/lib/auth/secret-token";
import { parseInput } from "@/lib/validation";
import { checkedJwksUri } from "@/lib/jwks-fetch/checked-jwks-uri";
import { inlineJwks } from "@/lib/idps/key-sources";
import { createClientSchema, listClientsQuerySchema, metadataIssues, REGISTERED_METADATA_FIELDS, updateClientSchema, type ClientSummary, type ClientView } from "@/lib/clients/schemas";
import { SIGNING_ALG_FIELDS, type SigningAlgField } from "@/lib/clients/client-metadata";
import { dcrRulesOf } from "@/lib/tenants/profiles";
import type { z } from "zod";
import { decodeCursor, encodeCursor, toPage, type Page } from "@/lib/pagination";
import { providerFromUrl } from "@/lib/db/provider";
import { bumpTrustVersion, trustChanged } from "@/lib/protocol/trust-version";
import { STALE, versionedEdit, type EditOptions } from "@/lib/concurrency/versions";

export type ClientRow = Prisma.ClientGetPayload<object>;
type UpdateClientInput = z.infer<typeof updateClientSchema>;

function decodeClaims(jwt: string): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The columns of a list item: a client without its keys and software statement (no secret hashes). */
const SUMMARY_COLUMNS = {
  id: true,
  clientId: true,
  name: true,
  status: true,
  tokenEndpointAuthMethod: true,
  grantTypes: true,
  responseTypes: true,
  redirectUris: true,
  scope: true,
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
  createdBy: true,
  createdAt: true,
  version: true,
} satisfies Prisma.ClientSelect;
type ClientSummaryRow = Prisma.ClientGetPayload<{ select: typeof SUMMARY_COLUMNS }>;

/** The columns a client's public view is made of (no secret hashes). */
const VIEW_COLUMNS = { ...SUMMARY_COLUMNS, jwks: true, softwareStatement: true } satisfies Prisma.ClientSelect;
type ClientViewRow = Prisma.ClientGetPayload<{ select: typeof VIEW_COLUMNS }>;

export function toClientSummary(row: ClientSummaryRow): ClientSummary {
  return {
    clientId: row.clientId,
    name: row.name,
    status: row.status as ClientView["status"],
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod as ClientView["tokenEndpointAuthMethod"],
    grantTypes: JSON.parse(row.grantTypes) as string[],
    responseTypes: JSON.parse(row.responseTypes) as string[],
    redirectUris: JSON.parse(row.redirectUris) as string[],
    scope: row.scope,
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
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    version: row.version,
  };
}

export function toClientView(row: ClientViewRow): ClientView {
  return {
    ...toClientSummary(row),
    jwks: row.jwks ? (JSON.parse(row.jwks) as ClientView["jwks"]) : null,
    softwareStatement: row.softwareStatement,
    softwareStatementClaims: row.softwareStatement ? decodeClaims(row.softwareStatement) : null,
  };
}

async function tenantOf(slug: string): Promise<{ id: string; profile: string }> {
  const t = await db().tenant.findUnique({ where: { slug }, select: { id: true, profile: true } });
  if (!t) throw notFound(`tenant "${slug}"`);
  return t;
}

async function tenantId(slug: string): Promise<string> {
  return (await tenantOf(slug)).id;
}

/** The tenant's profile decides which signing algorithms a client may use, whoever registers it. */
function checkSigningAlgs(profile: string, values: Partial<Record<SigningAlgField, string | null>>): void {
  const allowed = dcrRulesOf(profile).algs;
  for (const { field, claim } of SIGNING_ALG_FIELDS) {
    const v = values[field];
    if (v && !allowed.includes(v)) throw fieldError(field, `${claim} ${v} is not allowed by this tenant's profile (${allowed.join(", ")})`);
  }
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
/**
 * A page of the tenant's clients, as summaries: a client's keys and software
 * statement (kilobytes each) are in its own view ({@link getClient}).
 */
export async function listClients(actor: Actor, slug: string, query: unknown = {}): Promise<Page<ClientSummary>> {
  requireTenantRole(actor, "viewer", slug);
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
    const rows = await db().client.findMany({ where, orderBy: { id: "desc" }, take: q.limit + 1, select: SUMMARY_COLUMNS });
    return toPage(rows, q.limit, toClientSummary);
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
    select: SUMMARY_COLUMNS,
  });
  const page = toPage(rows, q.limit, toClientSummary);
  // Fewer matches than a page in a full window: the search goes on after it.
  return page.nextCursor === null && edge ? { items: page.items, nextCursor: encodeCursor(edge.id) } : page;
}

/** A client of the tenant: by slug, or by the tenant's id when the caller already read the tenant. */
async function clientRow(tenant: string | { id: string }, clientId: string): Promise<ClientRow> {
  const row = await db().client.findFirst({ where: { tenantId: typeof tenant === "string" ? await tenantId(tenant) : tenant.id, clientId } });
  if (!row) throw notFound(`client "${clientId}"`);
  return row;
}

export async function getClient(actor: Actor, slug: string, clientId: string): Promise<ClientView> {
  requireTenantRole(actor, "viewer", slug);
  return toClientView(await clientRow(slug, clientId));
}

/** What the audit log keeps of a client, before and after a change (never its secret or keys). */
export function clientSummary(r: ClientRow) {
  const { clientId: _clientId, createdBy: _createdBy, createdAt: _createdAt, ...summary } = toClientSummary(r);
  return summary;
}

/** The update as database columns, after checking it against the client it changes. */
function updateData(row: ClientRow, profile: string, data: UpdateClientInput): Prisma.ClientUpdateManyMutationInput {
  const touched = REGISTERED_METADATA_FIELDS.filter((f) => data[f] !== undefined);
  if (touched.length > 0 && row.registeredVia === "dcr") {
    throw new AppError(
      "conflict",
      `client "${row.clientId}" was registered through Dynamic Client Registration: its ${touched.join(", ")} ${touched.length === 1 ? "is" : "are"} the TPP's to change (RFC 7592); here only its name, scope and status change`,
    );
  }
  if (data.tlsClientAuthSubjectDn !== undefined && row.tokenEndpointAuthMethod !== "tls_client_auth") {
    throw fieldError("tlsClientAuthSubjectDn", `applies to tls_client_auth clients only; this one uses ${row.tokenEndpointAuthMethod}`);
  }
  if (data.jwksUri !== undefined && !row.jwksUri) {
    throw fieldError("jwksUri", "applies to clients that publish their keys at a jwks_uri; this one's keys are held here (edit them under Keys)");
  }
  const merged = {
    grantTypes: data.grantTypes ?? (JSON.parse(row.grantTypes) as string[]),
    responseTypes: data.responseTypes ?? (JSON.parse(row.responseTypes) as string[]),
    redirectUris: data.redirectUris ?? (JSON.parse(row.redirectUris) as string[]),
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod,
    tokenEndpointAuthSigningAlg: data.tokenEndpointAuthSigningAlg === undefined ? row.tokenEndpointAuthSigningAlg : data.tokenEndpointAuthSigningAlg,
  };
  const [issue] = metadataIssues(merged);
  if (issue) throw fieldError(issue.path, issue.message);
  checkSigningAlgs(profile, data);
  const { grantTypes, responseTypes, redirectUris, roles, jwksUri, ...columns } = data;
  return {
    ...columns,
    ...(grantTypes ? { grantTypes: JSON.stringify(grantTypes) } : {}),
    ...(responseTypes ? { responseTypes: JSON.stringify(responseTypes) } : {}),
    ...(redirectUris ? { redirectUris: JSON.stringify(redirectUris) } : {}),
    ...(roles ? { roles: JSON.stringify(roles) } : {}),
    ...(jwksUri !== undefined ? { jwksUri: checkedJwksUri(jwksUri) } : {}),
  };
}

/**
 * Changes a client: its name, scope and status (a suspended client gets no
 * tokens), and for a client made here its registered metadata, checked by
 * the same rules as at creation.
 */
export async function updateClient(actor: Actor, slug: string, clientId: string, input: unknown, options: EditOptions = {}): Promise<ClientView> {
  requireTenantRole(actor, "operator", slug);
  const data = parseInput(updateClientSchema, input ?? {});
  const tenant = await tenantOf(slug);
  const updated = await versionedEdit({
    object: `client "${clientId}"`,
    target: { type: "client", id: clientId, tenantSlug: slug },
    expected: options.expectedVersion,
    load: () => clientRow(tenant, clientId),
    write: async (row) => {
      const columns = updateData(row, tenant.profile, data);
      return db().$transaction(async (tx) => {
        // The check and the write are one statement: a concurrent edit of the same version matches no row.
        const { count } = await tx.client.updateMany({ where: { id: row.id, version: row.version }, data: { ...columns, version: { increment: 1 } } });
        if (count === 0) return STALE;
        const next = await tx.client.findUniqueOrThrow({ where: { id: row.id } });
        await bumpTrustVersion(tx, row.tenantId);
        const action = data.status && data.status !== row.status ? (data.status === "suspended" ? "client.suspend" : "client.reactivate") : "client.update";
        await recordAudit(tx, actor, { action, target: { type: "client", id: clientId }, tenantSlug: slug, before: clientSummary(row), after: clientSummary(next) });
        return next;
      });
    },
  });
  trustChanged(slug);
  return toClientView(updated);
}

/** Deletes a client: it gets no more tokens and its registration (DCR) is gone. */
export async function deleteClient(actor: Actor, slug: string, clientId: string): Promise<void> {
  requireTenantRole(actor, "operator", slug);
  const row = await clientRow(slug, clientId);
  await db().$transaction(async (tx) => {
    await tx.client.delete({ where: { id: row.id } });
    await bumpTrustVersion(tx, row.tenantId);
    await recordAudit(tx, actor, { action: "client.delete", target: { type: "client", id: clientId }, tenantSlug: slug, before: clientSummary(row) });
  });
  trustChanged(slug);
}

/**
 * Creates a client. A client_secret_basic client gets a secret in this answer
 * only (stored as a hash); a private_key_jwt client authenticates with its keys.
 */
export async function createClient(actor: Actor, slug: string, input: unknown): Promise<ClientView & { clientSecret?: string }> {
  requireTenantRole(actor, "operator", slug);
  const data = parseInput(createClientSchema, input);
  const tenant = await tenantOf(slug);
  checkSigningAlgs(tenant.profile, data);
  const jwksUri = data.jwksUri ? checkedJwksUri(data.jwksUri) : null;
  const jwks = data.jwks ? JSON.stringify(inlineJwks(data.jwks)) : null;
  const secret = data.tokenEndpointAuthMethod === "client_secret_basic" ? randomBytes(32).toString("base64url") : undefined;
  const id = tenant.id;
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
        redirectUris: JSON.stringify(data.redirectUris),
        responseTypes: JSON.stringify(data.responseTypes),
        tokenEndpointAuthSigningAlg: data.tokenEndpointAuthSigningAlg ?? null,
        idTokenSignedResponseAlg: data.idTokenSignedResponseAlg ?? null,
        requestObjectSigningAlg: data.requestObjectSigningAlg ?? null,
        createdBy: actor.label,
      },
    });
    await bumpTrustVersion(tx, id);
    await recordAudit(tx, actor, {
      action: "client.create",
      target: { type: "client", id: created.clientId },
      tenantSlug: slug,
      after: clientSummary(created),
    });
    return created;
  });
  trustChanged(slug);
  return { ...toClientView(row), ...(secret ? { clientSecret: secret } : {}) };
}
