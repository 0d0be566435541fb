/**
 * Rules on a client's OAuth/OpenID metadata that hold however the client is
 * made: by an admin in the console or the API, or by the TPP through Dynamic
 * Client Registration. Each answers a sentence naming the problem, or null.
 */

export const KNOWN_GRANT_TYPES = [
  "client_credentials",
  "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "authorization_code",
  "refresh_token",
  "implicit",
] as const;

export const KNOWN_RESPONSE_TYPES = ["code", "code id_token", "id_token", "code token", "code id_token token", "token", "id_token token"] as const;

export const SIGNING_ALG_FIELDS = [
  { field: "tokenEndpointAuthSigningAlg", claim: "token_endpoint_auth_signing_alg" },
  { field: "idTokenSignedResponseAlg", claim: "id_token_signed_response_alg" },
  { field: "requestObjectSigningAlg", claim: "request_object_signing_alg" },
] as const;
export type SigningAlgField = (typeof SIGNING_ALG_FIELDS)[number]["field"];

/**
 * The grant types a response type needs. OpenID Connect Dynamic Client
 * Registration §2 would also ask `implicit` for the hybrid types (`code
 * id_token`), but Open Banking UK and FAPI 1 registrations use hybrid with
 * `authorization_code` alone, and every such server accepts them: a response
 * type with `code` needs `authorization_code`; one without needs `implicit`.
 */
function grantsNeeded(responseType: string): string[] {
  return responseType.split(" ").includes("code") ? ["authorization_code"] : ["implicit"];
}

const plural = (list: readonly string[]) => (list.length === 1 ? "is" : "are");

/** Whether grant_types and response_types are known and agree with each other. */
export function grantResponseProblem(grants: readonly string[], responses: readonly string[]): string | null {
  const unknownGrants = grants.filter((g) => !(KNOWN_GRANT_TYPES as readonly string[]).includes(g));
  if (unknownGrants.length > 0) return `grant_types ${unknownGrants.join(", ")} ${plural(unknownGrants)} not supported`;
  const unknownResponses = responses.filter((r) => !(KNOWN_RESPONSE_TYPES as readonly string[]).includes(r));
  if (unknownResponses.length > 0) return `response_types ${unknownResponses.join(", ")} ${plural(unknownResponses)} not supported`;
  const missing = [...new Set(responses.flatMap(grantsNeeded).filter((g) => !grants.includes(g)))];
  if (missing.length > 0) return `response_types ${responses.join(", ")} need grant_types ${missing.join(", ")}`;
  if (grants.includes("authorization_code") && !responses.some((r) => r.split(" ").includes("code"))) {
    return "grant_types authorization_code needs a response type with code";
  }
  return null;
}

/** Redirect URIs are for the grants that redirect the user's browser back to the client. */
export function redirectUriProblem(grants: readonly string[], redirectUris: readonly string[]): string | null {
  const redirecting = grants.filter((g) => g === "authorization_code" || g === "implicit");
  if (redirecting.length > 0 && redirectUris.length === 0) return `grant_types ${redirecting.join(", ")} need at least one redirect URI`;
  return null;
}

/**
 * Each signing algorithm set must be one the tenant's profile allows; a
 * private_key_jwt client must say which one it signs its assertions with
 * when `requireAuthAlg` (DCR does; the console may leave it open).
 */
export function signingAlgProblems(
  values: Partial<Record<SigningAlgField, unknown>>,
  allowed: readonly string[],
  method: string | null | undefined,
  requireAuthAlg: boolean,
): string[] {
  const problems: string[] = [];
  for (const { field, claim } of SIGNING_ALG_FIELDS) {
    const v = values[field];
    if (v === undefined || v === null) {
      if (requireAuthAlg && field === "tokenEndpointAuthSigningAlg" && method === "private_key_jwt") problems.push(`${claim} is required with private_key_jwt`);
      continue;
    }
    if (typeof v !== "string" || !allowed.includes(v)) problems.push(`${claim} ${JSON.stringify(v)} is not allowed by this tenant's profile (${allowed.join(", ")})`);
  }
  return problems;
}
