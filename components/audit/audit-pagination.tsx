import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

/** Cursor pagination: the first page, and the next one when there is more. */
export function AuditPagination({ firstHref, nextHref }: { firstHref: string | null; nextHref: string | null }) {
  if (!firstHref && !nextHref) return null;
  return (
    <nav aria-label="Pagination" className="mt-4 flex justify-between gap-2">
      {firstHref ? (
        <Link href={firstHref} className={buttonClass("secondary")}>
          First page
        </Link>
      ) : (
        <span />
      )}
      {nextHref ? (
        <Link href={nextHref} className={buttonClass("secondary")}>
          Next page
        </Link>
      ) : null}
    </nav>
  );
}
