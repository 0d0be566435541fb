import { jwtVerify } from "jose";
import { decodeCompactJws, JwsFormatError, untrustedHeaderProblem } from "@/lib/crypto/decode-jws";
import { hashSecretToken, sameSecret } from "@/lib/auth/secret-token";
import { ASSERTION_ALGS } from "@/lib/idps/schemas";
import { consumeJti } from "@/lib/protocol/replay-cache";
import type { TenantInfo } from "@/lib/protocol/published-state";
import { findTrustedClient, type TrustedClient } from "@/lib/protocol/trusted-parties";
import { ClientCertificateError, parseClientCertHeader, subjectMatches } from "@/lib/protocol/client-certificate";

export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const MAX_ASSERTION_LIFETIME_SECONDS = 3600;

export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

const invalidClient = (description: string) => new OAuthError(401, "invalid_client", description);

// RFC 6749 §2.3.1: the id and secret are form-urlencoded before Basic encoding.
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, " "));
}

async function clientOf(tenant: TenantInfo, clientId: string): Promise<TrustedClient> {
  const client = await findTrustedClient(tenant, clientId);
  if (!client) throw invalidClient(`no client "${clientId}" in this tenant`);
  if (client.status !== "active") throw invalidClient(`client "${clientId}" is suspended`);
  return client;
}

/**
 * tls_client_auth (RFC 8705 §2.1.2): the certificate the proxy verified in the
 * TLS handshake and forwarded must be valid now and have the registered
 * subject DN.
 */
function tlsClientAuth(client: TrustedClient, header: string | undefined): TrustedClient {
  if (!header) {
    throw invalidClient(`client "${client.clientId}" authenticates with tls_client_auth: the request must come over mutual TLS, its certificate forwarded by the proxy in Client-Cert`);
  }
  let cert;
  try {
    cert = parseClientCertHeader(header);
  } catch (error) {
    throw invalidClient(error instanceof ClientCertificateError ? error.message : "the client certificate could not be read");
  }
  const now = new Date();
  if (cert.notAfter <= now || cert.notBefore > now) throw invalidClient(`the client certificate is not valid now (valid ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()})`);
  if (!client.tlsClientAuthSubjectDn || !subjectMatches(cert.subject, client.tlsClientAuthSubjectDn)) {
    throw invalidClient(`the client certificate's subject "${cert.subject.replace(/\n/g, ", ")}" is not the registered tls_client_auth_subject_dn "${client.tlsClientAuthSubjectDn}"`);
  }
  return client;
}

/**
 * Authenticates the client of a token request: HTTP Basic (client_secret_basic),
 * a signed client assertion (private_key_jwt, RFC 7523 §2.2) whose aud is the
 * token endpoint or the issuer and whose jti is used once, or its mutual-TLS
 * certificate (tls_client_auth, with client_id in the form).
 */
export async function authenticateClient(
  tenant: TenantInfo,
  params: URLSearchParams,
  authorization: string | undefined,
  endpoints: { tokenEndpoint: string; issuer: string },
  clientCertHeader?: string,
): Promise<TrustedClient> {
  const assertion = params.get("client_assertion");
  const basic = authorization?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i)?.[1];
  if (authorization && !basic) throw invalidClient("the Authorization header must be HTTP Basic with the client id and secret");
  if (basic && assertion) throw new OAuthError(400, "invalid_request", "use one client authentication method, not HTTP Basic and a client assertion");
  if (basic) {
    const decoded = Buffer.from(basic, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) throw invalidClient("the HTTP Basic credentials must be client_id:client_secret");
    let clientId: string;
    let secret: string;
    try {
      clientId = formDecode(decoded.slice(0, colon));
      secret = formDecode(decoded.slice(colon + 1));
    } catch {
      throw invalidClient("the HTTP Basic credentials are not form-urlencoded correctly");
    }
    const client = await clientOf(tenant, clientId);
    if (client.tokenEndpointAuthMethod !== "client_secret_basic" || !client.clientSecretHash) {
      throw invalidClient(`client "${clientId}" authenticates with ${client.tokenEndpointAuthMethod}, not a secret`);
    }
    if (!sameSecret(hashSecretToken(secret), client.clientSecretHash)) throw invalidClient("the client secret is wrong");
    return client;
  }
  if (assertion) {
    if (params.get("client_assertion_type") !== CLIENT_ASSERTION_TYPE) {
      throw invalidClient(`client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`);
    }
    let decoded;
    try {
      decoded = decodeCompactJws(assertion);
    } catch (error) {
      throw invalidClient(`client_assertion is not a signed JWT: ${error instanceof JwsFormatError ? error.message : "it cannot be decoded"}`);
    }
    const headerProblem = untrustedHeaderProblem(decoded.header);
    if (headerProblem) throw invalidClient(`client_assertion refused: ${headerProblem}`);
    const claimed = typeof decoded.payload.iss === "string" && decoded.payload.iss !== "" ? decoded.payload.iss : undefined;
    if (!claimed) throw invalidClient("client_assertion has no iss (it must be the client id)");
    const client = await clientOf(tenant, claimed);
    if (client.tokenEndpointAuthMethod !== "private_key_jwt") throw invalidClient(`client "${claimed}" authenticates with ${client.tokenEndpointAuthMethod}`);
    // A client registered with token_endpoint_auth_signing_alg signs with that one only (RFC 7591 §2).
    const algorithms = client.tokenEndpointAuthSigningAlg ? [client.tokenEndpointAuthSigningAlg] : [...ASSERTION_ALGS];
    if (typeof decoded.header.alg !== "string" || !algorithms.includes(decoded.header.alg)) {
      throw invalidClient(`client_assertion refused: alg ${JSON.stringify(decoded.header.alg ?? null)} is not allowed (${algorithms.join(", ")})`);
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(assertion, client.keys, {
        algorithms,
        issuer: client.clientId,
        subject: client.clientId,
        audience: [endpoints.tokenEndpoint, endpoints.issuer],
        requiredClaims: ["exp", "jti"],
        clockTolerance: 60,
        maxTokenAge: 3600,
      }));
    } catch (error) {
      throw invalidClient(`client_assertion refused: ${(error as Error).message}`);
    }
    // jose bounds the age (iat) but not the end (exp): an exp past any date would be kept as the replay record's expiry.
    if (payload.exp! - payload.iat! > MAX_ASSERTION_LIFETIME_SECONDS) {
      throw invalidClient(`client_assertion lives ${payload.exp! - payload.iat!} s (exp - iat); at most ${MAX_ASSERTION_LIFETIME_SECONDS} s are accepted`);
    }
    if (typeof payload.jti !== "string" || payload.jti.length === 0) throw invalidClient("client_assertion jti must be a non-empty string");
    if (!(await consumeJti(`client:${client.clientId}`, payload.jti, payload.exp!))) {
      throw invalidClient("client_assertion was already used (its jti was seen before)");
    }
    return client;
  }
  const clientId = params.get("client_id");
  if (clientId) {
    const client = await clientOf(tenant, clientId);
    if (client.tokenEndpointAuthMethod !== "tls_client_auth") {
      throw invalidClient(`client "${clientId}" must authenticate with ${client.tokenEndpointAuthMethod} (HTTP Basic or a client assertion)`);
    }
    return tlsClientAuth(client, clientCertHeader);
  }
  throw invalidClient("no client authentication (HTTP Basic, private_key_jwt, or client_id with a mutual-TLS certificate)");
}
