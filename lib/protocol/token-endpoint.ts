import { shown } from "@/lib/shown";
import { randomUUID } from "node:crypto";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { log } from "@/lib/log";
import { metrics } from "@/lib/observability/metrics";
import { signForTenant } from "@/lib/keys/sign";
import { verifyAssertion } from "@/lib/idps/verify-assertion";
import { decodeCompactJws, JwsFormatError } from "@/lib/crypto/decode-jws";
import { authenticateClient, OAuthError } from "@/lib/protocol/client-auth";
import { parseClientCertHeader } from "@/lib/protocol/client-certificate";
import { consumeJti } from "@/lib/protocol/replay-cache";
import { publishedTenant } from "@/lib/protocol/published-state";
import { errorAnswer, jsonAnswer } from "@/lib/protocol/jwks";
import type { Snapshot } from "@/lib/protocol/published-state";
import { findTrustedIdp, type TrustedClient } from "@/lib/protocol/trusted-parties";

export const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

function oauthError(e: OAuthError): Snapshot {
  const headers = e.status === 401 ? { ...NO_STORE, "www-authenticate": 'Basic realm="token", error="invalid_client"' } : NO_STORE;
  return errorAnswer(e.status, e.error, e.message, headers);
}

/** The form parameters, each at most once (RFC 6749 §3.2: a repeated parameter is invalid_request). */
export function parseTokenForm(body: string): URLSearchParams {
  const params = new URLSearchParams(body);
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (seen.has(key)) throw new OAuthError(400, "invalid_request", `the parameter "${key}" is repeated`);
    seen.add(key);
  }
  return params;
}

function grantedScope(requested: string | null, client: TrustedClient): string {
  if (!requested) return client.scope;
  const asked = requested.split(" ").filter(Boolean);
  const refused = asked.filter((s) => !client.scopes.has(s));
  if (refused.length > 0) throw new OAuthError(400, "invalid_scope", `the client may not ask for ${refused.join(", ")}`);
  return asked.join(" ");
}

/**
 * `POST /{tenant}/oauth2/token`: the jwt-bearer grant (RFC 7523) and
 * client_credentials, answering a JWT access token (RFC 9068) signed with the
 * tenant's active key (or the client's own app key), or an RFC 6749 §5.2 error
 * whose description says what to fix. Never a stack trace.
 */
export async function tokenEndpoint(slug: string, contentType: string | undefined, body: string, authorization: string | undefined, clientCert?: string): Promise<Snapshot> {
  const seen = { grant: "unknown" };
  const answer = await issueToken(slug, contentType, body, authorization, clientCert, seen);
  // Counted by grant and outcome: "issued", or the OAuth error code.
  metrics().token(seen.grant, answer.status === 200 ? "issued" : (answer.error ?? String(answer.status)));
  return answer;
}

async function issueToken(slug: string, contentType: string | undefined, body: string, authorization: string | undefined, clientCert: string | undefined, seen: { grant: string }): Promise<Snapshot> {
  try {
    const tenant = await publishedTenant(slug);
    if (!tenant) return errorAnswer(404, "not_found", `no tenant "${slug}"`, NO_STORE);
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType ?? "")) {
      throw new OAuthError(415, "invalid_request", `the body must be application/x-www-form-urlencoded; got ${contentType || "no Content-Type"}`);
    }
    const params = parseTokenForm(body);
    const issuer = `${env().publicUrl}/${slug}`;
    const tokenEndpointUrl = `${issuer}/oauth2/token`;
    const grantType = params.get("grant_type");
    if (!grantType) throw new OAuthError(400, "invalid_request", "grant_type is missing");
    seen.grant = grantType === JWT_BEARER ? "jwt-bearer" : grantType === "client_credentials" ? grantType : "unsupported";
    if (grantType !== JWT_BEARER && grantType !== "client_credentials") {
      throw new OAuthError(400, "unsupported_grant_type", `grant_type "${grantType}" is not supported; use ${JWT_BEARER} or client_credentials`);
    }
    const client = await authenticateClient(tenant, params, authorization, { tokenEndpoint: tokenEndpointUrl, issuer }, clientCert);
    if (!client.grantTypes.has(grantType)) {
      throw new OAuthError(400, "unauthorized_client", `client "${client.clientId}" may not use the ${grantType} grant`);
    }
    const scope = grantedScope(params.get("scope"), client);

    let subject = client.clientId;
    if (grantType === JWT_BEARER) {
      const assertion = params.get("assertion");
      if (!assertion) throw new OAuthError(400, "invalid_request", "assertion is missing");
      let iss: unknown;
      try {
        iss = decodeCompactJws(assertion).payload.iss;
      } catch (error) {
        throw new OAuthError(400, "invalid_grant", `format: the assertion is not a signed JWT: ${error instanceof JwsFormatError ? error.message : "it cannot be decoded"}`);
      }
      const idp = typeof iss === "string" ? await findTrustedIdp(tenant, iss) : null;
      if (!idp) throw new OAuthError(400, "invalid_grant", `iss: no identity provider "${shown(iss)}" is registered in this tenant`);
      if (!idp.enabled) throw new OAuthError(400, "invalid_grant", `iss: the identity provider "${idp.name}" is disabled`);
      const result = await verifyAssertion(assertion, idp.view);
      if (!result.valid) throw new OAuthError(400, "invalid_grant", result.error ?? "the assertion is not valid");
      const claims = result.claims!;
      // verifyAssertion checked the jti: a non-empty string, present when the IdP refuses reuse.
      if (idp.refuseJtiReuse && !(await consumeJti(`idp:${idp.id}`, claims.jti as string, claims.exp!))) {
        throw new OAuthError(400, "invalid_grant", "jti: this assertion was already used");
      }
      subject = claims.sub!;
    }

    const now = Math.floor(Date.now() / 1000);
    const { jwt } = await signForTenant(
      slug,
      {
        iss: issuer,
        sub: subject,
        aud: issuer,
        client_id: client.clientId,
        ...(scope ? { scope } : {}),
        jti: randomUUID(),
        iat: now,
        exp: now + tenant.accessTokenTtlSeconds,
        // RFC 8705 §3: a mutual-TLS client's token is bound to its certificate.
        ...(client.tokenEndpointAuthMethod === "tls_client_auth" && clientCert ? { cnf: { "x5t#S256": parseClientCertHeader(clientCert).thumbprintS256 } } : {}),
      },
      // The client's own app key when it has one, else the tenant's.
      { typ: "at+jwt", appId: client.clientId, fallbackToTenant: true },
    );
    return jsonAnswer(200, { access_token: jwt, token_type: "Bearer", expires_in: tenant.accessTokenTtlSeconds, ...(scope ? { scope } : {}) }, NO_STORE);
  } catch (error) {
    if (error instanceof OAuthError) return oauthError(error);
    if (isAppError(error) && error.code === "conflict") {
      return oauthError(new OAuthError(500, "server_error", "the tenant has no signing key that can sign now; an administrator must activate one"));
    }
    if (isDatabaseUnavailable(error)) {
      log().warn({ err: error, tenant: slug }, "token endpoint: database unavailable");
      return errorAnswer(503, "temporarily_unavailable", "the token service cannot reach its database; try again shortly", { ...NO_STORE, "retry-after": "5" });
    }
    log().error({ err: error, tenant: slug }, "token endpoint failed");
    return oauthError(new OAuthError(500, "server_error", "the token could not be issued; try again"));
  }
}
