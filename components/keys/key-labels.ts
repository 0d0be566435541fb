import type { KeyState } from "@/lib/keys/schemas";
import type { BadgeTone } from "@/components/ui/badge";

export const STATE_TONE: Record<KeyState, BadgeTone> = {
  active: "green",
  staged: "blue",
  retired: "neutral",
  revoked: "red",
  removed: "neutral",
};

export const STATE_MEANING: Record<KeyState, string> = {
  staged: "published in the JWKS, not signing yet",
  active: "published, the key that signs",
  retired: "published, no longer signing",
  removed: "gone from the JWKS; its private part is destroyed",
  revoked: "gone from the JWKS at once (compromised); its private part is destroyed",
};

export const KID_STRATEGY_LABEL: Record<string, string> = {
  thumbprint: "RFC 7638 thumbprint",
  x5t: "x5t (SHA-1 of the certificate)",
  "x5t#S256": "x5t#S256 (SHA-256 of the certificate)",
  given: "given",
};

export const SOURCE_LABEL: Record<string, string> = {
  generate: "generated",
  pem: "PEM upload",
  jwk: "private JWK",
  import: "configuration import",
  bootstrap: "generated at first start",
};

export function kidStrategyLabel(strategy: string): string {
  return KID_STRATEGY_LABEL[strategy] ?? strategy;
}

export function sourceLabel(source: string): string {
  return SOURCE_LABEL[source] ?? source;
}

/** The tenant's algorithms with PS256, the open-banking default, first. */
export function algsPs256First(algs: readonly string[]): string[] {
  return [...algs].sort((a, b) => (a === "PS256" ? -1 : b === "PS256" ? 1 : 0));
}

/** The path of a key's page in the console. */
export function keyHref(slug: string, kid: string): string {
  return `/tenants/${encodeURIComponent(slug)}/keys/${encodeURIComponent(kid)}`;
}
