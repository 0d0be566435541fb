import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { requirePageActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { auditFacets, listAuditEvents } from "@/lib/audit/list-events";
import { listTenants } from "@/lib/tenants/tenants";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditPagination } from "@/components/audit/audit-pagination";
import { AuditTable } from "@/components/audit/audit-table";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/page";
import { auditParams, filterSearch, isoToLocal, parseAuditParams, type RawSearchParams } from "./search-params";

export const metadata: Metadata = { title: "Audit log" };

function ErrorBox({ title, messages, children }: { title: string; messages: string[]; children?: ReactNode }) {
  return (
    <div role="alert" data-testid="audit-error" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
      <p className="font-medium">{title}</p>
      <ul className="mt-1 list-disc pl-5">
        {messages.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
      {children}
    </div>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requirePageActor();
  const params = auditParams(await searchParams);
  const parsed = parseAuditParams(params);
  const [tenants, facets, page] = await Promise.all([
    listTenants(actor),
    auditFacets(actor),
    parsed.ok
      ? listAuditEvents(actor, parsed.query).catch((error: unknown) => {
          // A cursor that was edited or cut short is bad input, not a crash.
          if (isAppError(error) && error.code === "validation_failed") {
            const badCursor = error.fieldErrors.some((e) => e.path === "cursor");
            return {
              error: badCursor
                ? "The page link's cursor is not a cursor from a previous page (it may have been edited or cut short)."
                : error.message,
            };
          }
          throw error;
        })
      : null,
  ]);

  const filters = parsed.ok ? filterSearch(parsed.query) : "";
  const href = (extra: Record<string, string | undefined>) => {
    const search = parsed.ok ? filterSearch(parsed.query, { limit: params.limit, ...extra }) : "";
    return search ? `/audit?${search}` : "/audit";
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made through the console, the API or the CLI, newest first. Times are in UTC."
        actions={
          parsed.ok ? (
            <a href={`/api/v1/audit/export.csv${filters ? `?${filters}` : ""}`} className={buttonClass("secondary")} download>
              Export CSV
            </a>
          ) : null
        }
      />
      <AuditFilters
        tenants={tenants.map((t) => ({ slug: t.slug, name: t.name }))}
        actors={facets.actors}
        actions={facets.actions}
        values={{ ...params, from: isoToLocal(params.from), to: isoToLocal(params.to) }}
      />
      <section aria-label="Audit events" className="mt-6">
        {!parsed.ok ? (
          <ErrorBox title="These filters are not valid" messages={parsed.errors} />
        ) : page && "error" in page ? (
          <ErrorBox title="This page cannot be shown" messages={[page.error]}>
            <Link className="mt-2 inline-block text-red-900 underline" href={href({})}>
              Go to the first page with these filters
            </Link>
          </ErrorBox>
        ) : page && page.items.length > 0 ? (
          <>
            <p className="mb-2 text-sm text-slate-600" data-testid="audit-count">
              {page.items.length === 1 ? "1 event" : `${page.items.length} events`} on this page
              {page.nextCursor ? "; more on the next page" : ""}
            </p>
            <AuditTable events={page.items} caption="Audit events matching the filters" />
            <AuditPagination
              firstHref={params.cursor ? href({}) : null}
              nextHref={page.nextCursor ? href({ cursor: page.nextCursor }) : null}
            />
          </>
        ) : (
          <EmptyState title={params.cursor ? "No more events" : "No audit events match these filters"}>
            <Link className="text-brand-700 underline" href="/audit">
              Clear the filters
            </Link>
          </EmptyState>
        )}
      </section>
    </>
  );
}
