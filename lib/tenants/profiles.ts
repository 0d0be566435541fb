/**
 * Tenant profiles: each brings the defaults of an open-banking ecosystem. Later
 * features (signing keys, DCR) read their rules from here.
 */
export const PROFILES = {
  generic: {
    label: "Generic OAuth 2.0 / OpenID Connect",
    signingAlgs: ["PS256", "RS256", "ES256", "ES384", "EdDSA"],
  },
  "ob-uk": {
    label: "Open Banking UK",
    signingAlgs: ["PS256"],
  },
  "open-finance-brazil": {
    label: "Open Finance Brazil",
    signingAlgs: ["PS256"],
  },
} as const;

export type ProfileId = keyof typeof PROFILES;
export const PROFILE_IDS = Object.keys(PROFILES) as [ProfileId, ...ProfileId[]];

/**
 * Dynamic Client Registration rules per profile: which algorithms sign the
 * registration request and the SSA, how old an SSA may be, whether the client's
 * keys must be the ones the directory publishes for the software (its
 * software_jwks_endpoint) or may be given inline, and which client
 * authentication methods are allowed.
 */
export interface DcrRules {
  algs: readonly string[];
  ssaMaxAgeSeconds: number;
  requestMaxLifetimeSeconds: number;
  jwksUriMustBeSoftwareJwksEndpoint: boolean;
  inlineJwksAllowed: boolean;
  authMethods: readonly ("private_key_jwt" | "tls_client_auth" | "client_secret_basic")[];
}

export const DCR_RULES: Record<ProfileId, DcrRules> = {
  generic: {
    algs: ["PS256", "ES256", "RS256"],
    ssaMaxAgeSeconds: 86_400,
    requestMaxLifetimeSeconds: 3600,
    jwksUriMustBeSoftwareJwksEndpoint: false,
    inlineJwksAllowed: true,
    authMethods: ["private_key_jwt", "tls_client_auth", "client_secret_basic"],
  },
  "ob-uk": {
    algs: ["PS256"],
    ssaMaxAgeSeconds: 300,
    requestMaxLifetimeSeconds: 3600,
    jwksUriMustBeSoftwareJwksEndpoint: true,
    inlineJwksAllowed: false,
    authMethods: ["private_key_jwt", "tls_client_auth"],
  },
  "open-finance-brazil": {
    algs: ["PS256"],
    ssaMaxAgeSeconds: 300,
    requestMaxLifetimeSeconds: 3600,
    jwksUriMustBeSoftwareJwksEndpoint: true,
    inlineJwksAllowed: false,
    authMethods: ["private_key_jwt", "tls_client_auth"],
  },
};

export function dcrRulesOf(profile: string): DcrRules {
  return DCR_RULES[(profile in DCR_RULES ? profile : "generic") as ProfileId];
}
