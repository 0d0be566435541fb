import type { IdpView } from "@/lib/idps/schemas";

export const KEY_SOURCE_LABEL: Record<IdpView["keySource"], string> = {
  jwks_uri: "jwks_uri",
  jwks: "inline JWKS",
  certificates: "PEM certificates",
};

/** The path of the IdP pages of a tenant in the console. */
export function idpsHref(slug: string): string {
  return `/tenants/${encodeURIComponent(slug)}/identity-providers`;
}

export function idpHref(slug: string, id: string): string {
  return `${idpsHref(slug)}/${encodeURIComponent(id)}`;
}
