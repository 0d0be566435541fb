import { Suspense } from "react";
import Link from "next/link";
import { requirePageActor } from "@/lib/auth/session";
import { hasPlatformRole } from "@/lib/auth/roles";
import { listTenants } from "@/lib/tenants/tenants";
import { Providers } from "@/components/providers";
import { NavLink } from "@/components/shell/nav-link";
import { TenantSwitcher } from "@/components/shell/tenant-switcher";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { Badge } from "@/components/ui/badge";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor();
  const tenants = await listTenants(actor);
  const isAdmin = hasPlatformRole(actor, "admin");
  return (
    <Providers>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <div className="flex min-h-screen">
        <aside className="hidden w-60 shrink-0 border-r border-slate-200 bg-white md:block" aria-label="Sidebar">
          <div className="flex h-14 items-center px-4">
            <Link href="/" className="text-lg font-semibold text-brand-800">
              Keyward
            </Link>
          </div>
          <Suspense>
            <TenantSwitcher tenants={tenants.map((t) => ({ slug: t.slug, name: t.name }))} />
          </Suspense>
          <nav aria-label="Main" className="mt-4 space-y-1 px-2">
            <NavLink href="/" exact>
              Dashboard
            </NavLink>
            <NavLink href="/tenants">Tenants</NavLink>
            <NavLink href="/audit">Audit log</NavLink>
            <p className="px-3 pb-1 pt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">Tools</p>
            <NavLink href="/tools/pem">PEM to JWK</NavLink>
            {isAdmin ? (
              <>
                <p className="px-3 pb-1 pt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">Administration</p>
                <NavLink href="/admin/users">Users</NavLink>
                <NavLink href="/admin/tokens">API tokens</NavLink>
              </>
            ) : null}
          </nav>
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex h-14 items-center justify-between border-b border-slate-200 bg-white px-4 md:px-6">
            <Link href="/" className="text-lg font-semibold text-brand-800 md:hidden">
              Keyward
            </Link>
            <div className="ml-auto flex items-center gap-3 text-sm">
              <span className="text-slate-700" data-testid="signed-in-as">
                {actor.label}
              </span>
              <Badge tone={actor.role === "admin" ? "blue" : "neutral"}>{actor.role}</Badge>
              <SignOutButton />
            </div>
          </header>
          <main id="main" className="mx-auto w-full max-w-6xl flex-1 p-4 md:p-8">
            {children}
          </main>
        </div>
      </div>
    </Providers>
  );
}
