import { randomUUID } from "node:crypto";
import type { JWTPayload } from "jose";

/**
 * The claims of a software statement and of a registration request as the
 * Open Banking UK directory and a TPP write them, valid under every profile
 * (PS256, private_key_jwt). Tests sign them with their own keys and change
 * what they test through `over`.
 */
export function ssaClaims(
  softwareId: string,
  { jwksEndpoint, redirectUris = ["https://tpp.example/callback"], name = "Test TPP" }: { jwksEndpoint: string; redirectUris?: string[]; name?: string },
  over: JWTPayload = {},
): JWTPayload {
  return {
    iss: "OpenBanking Ltd",
    iat: Math.floor(Date.now() / 1000),
    jti: randomUUID(),
    software_environment: "sandbox",
    software_mode: "Test",
    software_id: softwareId,
    software_client_id: softwareId,
    software_client_name: name,
    software_redirect_uris: redirectUris,
    software_roles: ["AISP", "PISP"],
    software_jwks_endpoint: jwksEndpoint,
    org_id: "0015800001041REAAY",
    org_name: `${name} Ltd`,
    ...over,
  };
}

/** A registration request (RFC 7591, signed by the TPP) carrying `ssa`, addressed to the tenant `issuer`. */
export function registrationClaims(
  issuer: string,
  softwareId: string,
  ssa: string,
  { redirectUri = "https://tpp.example/callback", scope = "openid accounts payments" }: { redirectUri?: string; scope?: string } = {},
  over: JWTPayload = {},
): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: softwareId,
    iat: now,
    exp: now + 300,
    aud: issuer,
    jti: randomUUID(),
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: "private_key_jwt",
    token_endpoint_auth_signing_alg: "PS256",
    grant_types: ["authorization_code", "client_credentials", "refresh_token"],
    response_types: ["code"],
    id_token_signed_response_alg: "PS256",
    request_object_signing_alg: "PS256",
    application_type: "web",
    software_id: softwareId,
    scope,
    software_statement: ssa,
    ...over,
  };
}
