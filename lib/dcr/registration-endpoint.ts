import { randomBytes } from "node:crypto";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { metrics } from "@/lib/observability/metrics";
import type { Actor } from "@/lib/auth/roles";
import { recordAudit } from "@/lib/audit/record-event";
import { hashSecretToken, newSecretToken, sameSecret } from "@/lib/auth/secret-token";
import { inlineJwks } from "@/lib/idps/key-sources";
import { consumeJti } from "@/lib/protocol/replay-cache";
import { errorAnswer, jsonSnapshot } from "@/lib/protocol/jwks";
import { publishedTenant, type Snapshot } from "@/lib/protocol/published-state";
import { bumpTrustVersion, trustChanged } from "@/lib/protocol/trust-version";
import { clientSummary } from "@/lib/clients/clients";
import { validateRegistration, type RegistrationMetadata } from "@/lib/dcr/validate-registration";

type ClientRow = Prisma.ClientGetPayload<object>;

const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };
const error = (status: number, code: string, description: string, headers: Record<string, string> = {}) => errorAnswer(status, code, description, { ...NO_STORE, ...headers });
const invalidToken = (description: string) => error(401, "invalid_token", description, { "www-authenticate": 'Bearer error="invalid_token"' });

/** The actor DCR changes are audited under: the software itself. */
function clientActor(softwareId: string): Actor {
  return { type: "client", label: `dcr:${softwareId}`, role: "viewer" };
}

function columns(m: RegistrationMetadata) {
  return {
    name: m.name,
    softwareId: m.softwareId,
    orgId: m.orgId,
    orgName: m.orgName,
    roles: JSON.stringify(m.roles),
    redirectUris: JSON.stringify(m.redirectUris),
    grantTypes: JSON.stringify(m.grantTypes),
    responseTypes: JSON.stringify(m.responseTypes),
    tokenEndpointAuthMethod: m.tokenEndpointAuthMethod,
    tokenEndpointAuthSigningAlg: m.tokenEndpointAuthSigningAlg,
    idTokenSignedResponseAlg: m.idTokenSignedResponseAlg,
    requestObjectSigningAlg: m.requestObjectSigningAlg,
    tlsClientAuthSubjectDn: m.tlsClientAuthSubjectDn,
    applicationType: m.applicationType,
    scope: m.scope,
    jwksUri: m.jwksUri,
    jwks: m.jwks ? JSON.stringify(inlineJwks(m.jwks)) : null,
    softwareStatement: m.softwareStatement,
    directoryId: m.directoryId,
  };
}


/** The client's registration as RFC 7591 §3.2.1 answers it (snake_case metadata). */
export function registrationResponse(row: ClientRow, issuer: string, extra: Record<string, unknown> = {}) {
  return {
    client_id: row.clientId,
    client_id_issued_at: Math.floor(row.createdAt.getTime() / 1000),
    registration_client_uri: `${issuer}/register/${encodeURIComponent(row.clientId)}`,
    ...extra,
    client_name: row.name,
    software_id: row.softwareId,
    org_id: row.orgId,
    redirect_uris: JSON.parse(row.redirectUris) as string[],
    grant_types: JSON.parse(row.grantTypes) as string[],
    response_types: JSON.parse(row.responseTypes) as string[],
    token_endpoint_auth_method: row.tokenEndpointAuthMethod,
    ...(row.tokenEndpointAuthSigningAlg ? { token_endpoint_auth_signing_alg: row.tokenEndpointAuthSigningAlg } : {}),
    ...(row.idTokenSignedResponseAlg ? { id_token_signed_response_alg: row.idTokenSignedResponseAlg } : {}),
    ...(row.requestObjectSigningAlg ? { request_object_signing_alg: row.requestObjectSigningAlg } : {}),
    ...(row.tlsClientAuthSubjectDn ? { tls_client_auth_subject_dn: row.tlsClientAuthSubjectDn } : {}),
    ...(row.applicationType ? { application_type: row.applicationType } : {}),
    scope: row.scope,
    ...(row.jwksUri ? { jwks_uri: row.jwksUri } : {}),
    ...(row.jwks ? { jwks: JSON.parse(row.jwks) as unknown } : {}),
    software_statement: row.softwareStatement,
  };
}

/**
 * `POST /{tenant}/register` and `GET|PUT|DELETE /{tenant}/register/{clientId}`:
 * Dynamic Client Registration (RFC 7591, Open Banking profile) and its
 * management (RFC 7592) with the registration access token. Errors are
 * RFC 7591 §3.2.2 JSON naming the failed rule.
 */
export async function registrationEndpoint(
  slug: string,
  method: string,
  clientId: string | null,
  contentType: string | undefined,
  body: string,
  authorization: string | undefined,
): Promise<Snapshot> {
  const answer = await answerRegistration(slug, method, clientId, contentType, body, authorization);
  if (clientId === null && method === "POST") {
    metrics().registration(answer.status === 201 ? "registered" : (answer.error ?? String(answer.status)));
  }
  return answer;
}

async function answerRegistration(
  slug: string,
  method: string,
  clientId: string | null,
  contentType: string | undefined,
  body: string,
  authorization: string | undefined,
): Promise<Snapshot> {
  try {
    const tenant = await publishedTenant(slug);
    if (!tenant) return error(404, "not_found", `no tenant "${slug}"`);
    const issuer = `${env().publicUrl}/${slug}`;
    const tenantFull = { id: tenant.id, profile: tenant.profile, issuer };

    if (clientId === null) {
      if (method !== "POST") return error(405, "invalid_request", `${method} is not allowed here; use POST`, { allow: "POST" });
      return await register(tenantFull, slug, contentType, body);
    }
    if (!["GET", "PUT", "DELETE"].includes(method)) return error(405, "invalid_request", `${method} is not allowed here; use GET, PUT or DELETE`, { allow: "GET, PUT, DELETE" });
    // RFC 7592 §2: the registration access token, as a Bearer token.
    const token = authorization?.match(/^Bearer\s+([\x21-\x7e]+)\s*$/i)?.[1];
    if (!token) return invalidToken("the registration access token is required (Authorization: Bearer <token>)");
    const row = await db().client.findFirst({ where: { tenantId: tenant.id, clientId } });
    // Unknown client, another tenant's, or a wrong token: one answer, so nothing leaks.
    if (!row?.registrationAccessTokenHash || !sameSecret(hashSecretToken(token), row.registrationAccessTokenHash)) {
      return invalidToken("the registration access token is not valid for this client");
    }
    const actor = clientActor(row.softwareId ?? row.clientId);
    if (method === "GET") return jsonSnapshot(200, registrationResponse(row, issuer), NO_STORE);
    if (method === "DELETE") {
      await db().$transaction(async (tx) => {
        await tx.client.delete({ where: { id: row.id } });
        await bumpTrustVersion(tx, tenant.id);
        await recordAudit(tx, actor, { action: "client.registration_delete", target: { type: "client", id: row.clientId }, tenantSlug: slug, before: clientSummary(row) });
      });
      trustChanged(slug);
      return { status: 204, body: Buffer.alloc(0), etag: "", headers: NO_STORE };
    }
    // PUT: a new registration request, checked like the first one, for the same software.
    const refused = requireJwtBody(contentType);
    if (refused) return refused;
    const checked = await validateRegistration(tenantFull, body, { forClient: { softwareId: row.softwareId } });
    if (!checked.metadata) return refusal(checked);
    if (!(await consumeJti(`dcr:${checked.metadata.softwareId}`, checked.jti!, checked.exp!))) return error(400, "invalid_client_metadata", `request.jti: jti "${checked.jti}" was already used`);
    const updated = await db().$transaction(async (tx) => {
      // A new version: a console form opened before this update is stale.
      const next = await tx.client.update({ where: { id: row.id }, data: { ...columns(checked.metadata!), version: { increment: 1 } } });
      await bumpTrustVersion(tx, tenant.id);
      await recordAudit(tx, actor, { action: "client.registration_update", target: { type: "client", id: row.clientId }, tenantSlug: slug, before: clientSummary(row), after: clientSummary(next) });
      return next;
    });
    trustChanged(slug);
    return jsonSnapshot(200, registrationResponse(updated, issuer), NO_STORE);
  } catch (e) {
    if (isAppError(e) && e.code === "validation_failed") return error(400, "invalid_client_metadata", e.message);
    if (isDatabaseUnavailable(e)) {
      log().warn({ err: e, tenant: slug }, "registration endpoint: database unavailable");
      return error(503, "temporarily_unavailable", "the registration service cannot reach its database; nothing was registered, try again shortly");
    }
    log().error({ err: e, tenant: slug }, "registration endpoint failed");
    return error(500, "server_error", "the registration could not be processed; try again");
  }
}

function requireJwtBody(contentType: string | undefined): Snapshot | null {
  if (/^application\/jwt\s*(;|$)/i.test(contentType ?? "")) return null;
  return error(415, "invalid_request", `the body must be a signed JWT with Content-Type application/jwt; got ${contentType || "no Content-Type"}`);
}

function refusal(checked: Awaited<ReturnType<typeof validateRegistration>>): Snapshot {
  const f = checked.failure!;
  return error(400, f.error, `${f.rule}: ${f.detail}`);
}

async function register(tenant: { id: string; profile: string; issuer: string }, slug: string, contentType: string | undefined, body: string): Promise<Snapshot> {
  const refused = requireJwtBody(contentType);
  if (refused) return refused;
  const checked = await validateRegistration(tenant, body);
  if (!checked.metadata) return refusal(checked);
  const m = checked.metadata;
  // Recorded only now that everything else passed: a refused request can be corrected and resent.
  if (!(await consumeJti(`dcr:${m.softwareId}`, checked.jti!, checked.exp!))) return error(400, "invalid_client_metadata", `request.jti: jti "${checked.jti}" was already used`);
  const registrationAccessToken = newSecretToken("kwr_");
  const row = await db().$transaction(async (tx) => {
    const created = await tx.client.create({
      data: {
        tenantId: tenant.id,
        clientId: `kwc_${randomBytes(12).toString("base64url")}`,
        ...columns(m),
        registeredVia: "dcr",
        registrationAccessTokenHash: hashSecretToken(registrationAccessToken),
        createdBy: `dcr:${m.softwareId}`,
      },
    });
    await bumpTrustVersion(tx, tenant.id);
    await recordAudit(tx, clientActor(m.softwareId), { action: "client.register", target: { type: "client", id: created.clientId }, tenantSlug: slug, after: clientSummary(created) });
    return created;
  });
  trustChanged(slug);
  return jsonSnapshot(201, registrationResponse(row, tenant.issuer, { registration_access_token: registrationAccessToken }), NO_STORE);
}
