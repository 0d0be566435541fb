import type { TenantView } from "@/lib/tenants/schemas";
import { CopyBox } from "@/components/ui/copy-box";

/** The tenant's public protocol endpoints, which relying parties configure; each one copyable. */
export function TenantEndpoints({ tenant }: { tenant: TenantView }) {
  const endpoints = [
    ["issuer", "Issuer", tenant.issuer],
    ["discovery", "Discovery", tenant.discoveryUrl],
    ["jwks", "JWKS", tenant.jwksUri],
    ["token", "Token endpoint", tenant.tokenEndpoint],
    ["registration", "Registration (DCR)", tenant.registrationEndpoint],
  ] as const;
  return (
    <div className="space-y-3">
      {endpoints.map(([key, label, url]) => (
        <CopyBox key={key} id={`endpoint-${key}`} label={label} value={url} />
      ))}
    </div>
  );
}
