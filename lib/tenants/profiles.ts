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
