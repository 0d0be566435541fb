"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";

/**
 * Switches the tenant the console shows. On a tenant page the same section of
 * the other tenant opens; elsewhere the dashboard follows the choice.
 */
export function TenantSwitcher({ tenants, current }: { tenants: { slug: string; name: string }[]; current?: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const selected = current ?? /^\/tenants\/([^/]+)/.exec(pathname)?.[1] ?? search.get("tenant") ?? tenants[0]?.slug ?? "";

  function change(slug: string) {
    // Keep the section (keys, config …), not the object: a kid of one tenant
    // means nothing in another.
    const match = /^\/tenants\/[^/]+(\/[^/]+)?/.exec(pathname);
    if (match) router.push(`/tenants/${slug}${match[1] ?? ""}`);
    else router.push(`/?tenant=${encodeURIComponent(slug)}`);
  }

  if (tenants.length === 0) return null;
  return (
    <div className="px-3">
      <label htmlFor="tenant-switcher" className="mb-1 block text-xs font-semibold uppercase tracking-wide text-slate-500">
        Tenant
      </label>
      <select
        id="tenant-switcher"
        value={selected}
        onChange={(e) => change(e.target.value)}
        className="block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
      >
        {tenants.map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name} ({t.slug})
          </option>
        ))}
      </select>
    </div>
  );
}
