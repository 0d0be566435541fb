import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

// Shown inside the console shell, whose layout already holds <main>.
export default function KeyNotFound() {
  return (
    <div className="mx-auto flex min-h-[50vh] max-w-lg flex-col items-center justify-center gap-4 text-center">
      <p className="text-sm font-semibold text-brand-700">404</p>
      <h1 className="text-2xl font-semibold">This signing key does not exist</h1>
      <p className="text-slate-600">The kid may be mistyped, or the key belongs to another tenant.</p>
      <div className="flex flex-wrap justify-center gap-3">
        <Link href="/tenants" className={buttonClass("secondary")}>
          All tenants
        </Link>
      </div>
    </div>
  );
}
