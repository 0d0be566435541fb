import Link from "next/link";
import { PROFILES } from "@/lib/tenants/profiles";
import type { TenantView } from "@/lib/tenants/schemas";
import { Table, Td } from "@/components/ui/page";

export function TenantTable({ tenants }: { tenants: TenantView[] }) {
  return (
    <Table caption="Tenants" head={["Slug", "Name", "Profile", "Issuer", "Created"]}>
      {tenants.map((t) => (
        <tr key={t.slug} data-testid="tenant-row">
          <Td>
            <Link href={`/tenants/${encodeURIComponent(t.slug)}`} className="font-medium text-brand-700 underline hover:text-brand-900">
              {t.slug}
            </Link>
          </Td>
          <Td>
            <span className="block whitespace-normal">{t.name}</span>
          </Td>
          <Td>
            <span className="block min-w-32 whitespace-normal">{PROFILES[t.profile].label}</span>
          </Td>
          <Td className="font-mono text-xs">{t.issuer}</Td>
          <Td>
            {/* The date is enough in a list; the full time is on hover and on the tenant's page. */}
            <time dateTime={t.createdAt} title={t.createdAt}>
              {t.createdAt.slice(0, 10)}
            </time>
          </Td>
        </tr>
      ))}
    </Table>
  );
}
