import type { AUTH_METHODS } from "@/lib/clients/schemas";
import { KNOWN_RESPONSE_TYPES } from "@/lib/clients/client-metadata";
import { PUBLIC_KEY_JWS_ALGS } from "@/lib/jwks-fetch/jws-algorithms";

/** The client authentication methods, as the console offers them. */
export const AUTH_METHOD_LABEL: Record<(typeof AUTH_METHODS)[number] | "tls_client_auth", string> = {
  client_secret_basic: "client_secret_basic — a secret, shown once",
  private_key_jwt: "private_key_jwt — the client signs with its keys",
  tls_client_auth: "tls_client_auth — mutual TLS, by the subject of its transport certificate",
};

export const GRANT_TYPE_OPTIONS = [
  { value: "client_credentials", label: "client_credentials — the client's own tokens" },
  { value: "urn:ietf:params:oauth:grant-type:jwt-bearer", label: "jwt-bearer — exchanges assertions from an identity provider" },
  { value: "authorization_code", label: "authorization_code — a user logs in at the bank" },
  { value: "refresh_token", label: "refresh_token" },
  { value: "implicit", label: "implicit — legacy; tokens in the front channel" },
] as const;

export const RESPONSE_TYPE_OPTIONS = KNOWN_RESPONSE_TYPES.map((value) => ({ value, label: value }));

export const SIGNING_ALG_OPTIONS = PUBLIC_KEY_JWS_ALGS.map((value) => ({ value, label: value }));

/** A grant type as the list shows it: the jwt-bearer URN without its long prefix. */
export function shortGrantType(grant: string): string {
  return grant.replace("urn:ietf:params:oauth:grant-type:", "");
}

/** The path of the client pages of a tenant in the console. */
export function clientsHref(slug: string): string {
  return `/tenants/${encodeURIComponent(slug)}/clients`;
}

/** The detail page of one client. */
export function clientHref(slug: string, clientId: string): string {
  return `${clientsHref(slug)}/${encodeURIComponent(clientId)}`;
}

/** Every method a client may authenticate with at the token endpoint, for the list's filter. */
export const AUTH_METHOD_FILTER_OPTIONS = [
  { value: "client_secret_basic", label: "client_secret_basic" },
  { value: "private_key_jwt", label: "private_key_jwt" },
  { value: "tls_client_auth", label: "tls_client_auth" },
] as const;

export const STATUS_OPTIONS = [
  { value: "active", label: "Active" },
  { value: "suspended", label: "Suspended" },
] as const;

/** How a client came to be: typed in the console (or the API), or registered by the TPP itself. */
export const REGISTERED_VIA_LABEL: Record<"console" | "dcr", string> = {
  console: "Console",
  dcr: "DCR",
};
