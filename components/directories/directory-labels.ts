import type { DirectoryView } from "@/lib/directories/schemas";

/** The path of a tenant's directory pages in the console. */
export function directoriesHref(slug: string): string {
  return `/tenants/${encodeURIComponent(slug)}/directories`;
}

export function directoryHref(slug: string, id: string): string {
  return `${directoriesHref(slug)}/${encodeURIComponent(id)}`;
}

/** The DCR tester of a tenant: checks a registration request without registering anything. */
export function dcrTesterHref(slug: string): string {
  return `/tenants/${encodeURIComponent(slug)}/dcr-tester`;
}

export const ENVIRONMENT_OPTIONS = [
  { value: "sandbox", label: "Sandbox" },
  { value: "production", label: "Production" },
] as const;

/** Where a directory's keys come from, in words. */
export function keySourceLabel(d: Pick<DirectoryView, "kind" | "jwksUri" | "jwks">): string {
  if (d.kind === "sandbox") return "Held by Keyward (sandbox)";
  return d.jwksUri ? "JWKS URL" : "Inline JWKS";
}
