import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole, type Actor } from "@/lib/auth/roles";
import { isAppError, unlessNotFound } from "@/lib/errors";
import { listClients, SEARCH_WINDOW } from "@/lib/clients/clients";
import type { ClientSummary } from "@/lib/clients/schemas";
import type { Page } from "@/lib/pagination";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/page";
import { AuditPagination } from "@/components/audit/audit-pagination";
import { ClientFilters } from "@/components/clients/client-filters";
import { clientRow } from "@/components/clients/client-row";
import { ClientsTable } from "@/components/clients/clients-table";
import { clientsHref } from "@/components/clients/client-labels";
import { dcrTesterHref, directoriesHref } from "@/components/directories/directory-labels";
import { decodeParam } from "../keys/params";
import { clientListHref, clientListParams, isFiltered, type ClientListParams, type RawSearchParams } from "./search-params";

interface Props {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<RawSearchParams>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Clients of ${decodeParam((await params).tenant)}` };
}

/** One page of the list, or why the filters cannot be applied (a hand-edited URL, a stale cursor). */
async function loadPage(actor: Actor, slug: string, filters: ClientListParams): Promise<{ page: Page<ClientSummary> } | { error: string }> {
  try {
    return { page: await listClients(actor, slug, filters) };
  } catch (error) {
    if (isAppError(error) && error.code === "validation_failed") return { error: error.message };
    throw error;
  }
}

export default async function ClientsPage({ params, searchParams }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const filters = clientListParams(await searchParams);
  const result = await unlessNotFound(() => loadPage(actor, slug, filters));
  if (!result) notFound();
  const canChange = hasRole(actor.role, "operator");
  const base = clientsHref(slug);
  const newHref = `${base}/new`;
  const narrowed = isFiltered(filters);

  return (
    <>
      <Breadcrumb href={`/tenants/${encodeURIComponent(slug)}`}>Tenant {slug}</Breadcrumb>
      <PageHeader
        title="Clients"
        description={
          <>
            The TPP clients of tenant <span className="font-mono">{slug}</span> that may ask its token endpoint for access tokens: created here, or
            registered by the TPP itself (Dynamic Client Registration) with a software statement from a{" "}
            <Link className="text-brand-700 underline" href={directoriesHref(slug)}>
              trusted directory
            </Link>
            .
          </>
        }
        actions={
          <>
            <Link href={directoriesHref(slug)} className={buttonClass("secondary")}>
              Directories
            </Link>
            <Link href={dcrTesterHref(slug)} className={buttonClass("secondary")}>
              DCR tester
            </Link>
            {canChange ? (
              <Link href={newHref} className={buttonClass("primary")}>
                New client
              </Link>
            ) : null}
          </>
        }
      />
      <ClientFilters action={base} values={filters} />
      <section aria-label="Client list">
        {"error" in result ? (
          <div role="alert" data-testid="clients-error" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
            <p className="font-medium">This list cannot be shown</p>
            <p className="mt-1">{result.error}</p>
            <Link className="mt-2 inline-block text-red-900 underline" href={base}>
              Show all clients
            </Link>
          </div>
        ) : result.page.items.length === 0 && result.page.nextCursor ? (
          // A search reads a bounded stretch of the list per page (SEARCH_WINDOW): this one held no match.
          <>
            <EmptyState title="No matches among these clients">
              The search reads {SEARCH_WINDOW.toLocaleString("en-GB")} clients per page, newest first; older clients are on the next page.
            </EmptyState>
            <AuditPagination
              firstHref={filters.cursor ? clientListHref(base, filters) : null}
              nextHref={clientListHref(base, filters, { cursor: result.page.nextCursor })}
            />
          </>
        ) : result.page.items.length === 0 ? (
          narrowed || filters.cursor ? (
            <EmptyState title={filters.cursor ? "No more clients" : "No clients match these filters"}>
              <Link className="text-brand-700 underline" href={base}>
                Clear the filters
              </Link>
            </EmptyState>
          ) : (
            <EmptyState title="This tenant has no clients yet">
              {canChange ? (
                <>
                  <Link className="text-brand-700 underline" href={newHref}>
                    Create a client
                  </Link>{" "}
                  with a secret (client_secret_basic) or its own keys (private_key_jwt), or let TPPs register themselves at the registration endpoint
                  with a software statement from a{" "}
                  <Link className="text-brand-700 underline" href={directoriesHref(slug)}>
                    directory
                  </Link>{" "}
                  this tenant trusts.
                </>
              ) : (
                "An operator can create one; TPPs can register themselves with a software statement."
              )}
            </EmptyState>
          )
        ) : (
          <>
            <p className="mb-2 text-sm text-slate-600" data-testid="clients-count">
              {result.page.items.length === 1 ? "1 client" : `${result.page.items.length} clients`} on this page
              {result.page.nextCursor ? "; more on the next page" : ""}
            </p>
            <ClientsTable
              slug={slug}
              caption={narrowed ? `Clients of tenant ${slug} matching the filters` : `Clients of tenant ${slug}`}
              rows={result.page.items.map(clientRow)}
            />
            <AuditPagination
              firstHref={filters.cursor ? clientListHref(base, filters) : null}
              nextHref={result.page.nextCursor ? clientListHref(base, filters, { cursor: result.page.nextCursor }) : null}
            />
          </>
        )}
      </section>
    </>
  );
}
