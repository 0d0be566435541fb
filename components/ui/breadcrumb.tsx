import Link from "next/link";
import type { ReactNode } from "react";

/** The link back to the page a console page belongs to. */
export function Breadcrumb({ href, children }: { href: string; children: ReactNode }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 text-sm">
      <Link href={href} className="text-brand-700 underline">
        {children}
      </Link>
    </nav>
  );
}
