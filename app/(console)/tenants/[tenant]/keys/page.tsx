import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { listSigningKeys } from "@/lib/keys/list-keys";
import type { KeyState, SigningKeyView } from "@/lib/keys/schemas";
import { tenantIssuer } from "@/lib/tenants/tenants";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/page";
import { KeysTable } from "@/components/keys/keys-table";
import { STATE_MEANING } from "@/components/keys/key-labels";
import { decodeParam } from "./params";

interface Props {
  params: Promise<{ tenant: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Signing keys of ${decodeParam((await params).tenant)}` };
}

const GROUPS: { state: KeyState; title: string }[] = [
  { state: "active", title: "Active" },
  { state: "staged", title: "Staged" },
  { state: "retired", title: "Retired" },
];

export default async function KeysPage({ params }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const keys = await unlessNotFound(() => listSigningKeys(actor, slug));
  if (!keys) notFound();

  const canChange = hasRole(actor.role, "operator");
  const base = `/tenants/${encodeURIComponent(slug)}`;
  const activeByScope: Record<string, string> = {};
  for (const k of keys) if (k.state === "active") activeByScope[k.appId ?? ""] = k.kid;
  const byState = (states: KeyState[]): SigningKeyView[] => keys.filter((k) => states.includes(k.state));
  const gone = byState(["revoked", "removed"]);
  // One clock for the whole page, so every "expires in N days" agrees.
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request
  const now = Date.now();
  const jwksUri = `${tenantIssuer(slug)}/oauth2/v1/certs`;

  return (
    <>
      <Breadcrumb href={base}>Tenant {slug}</Breadcrumb>
      <PageHeader
        title="Signing keys"
        description={
          <>
            The keys of tenant <span className="font-mono">{slug}</span>. Staged, active and retired keys are published at{" "}
            <a className="break-all font-mono text-xs text-brand-700 underline" href={jwksUri}>
              {jwksUri}
            </a>
            ; only the active key signs.
          </>
        }
        actions={
          canChange ? (
            <Link href={`${base}/keys/new`} className={buttonClass("primary")}>
              Add a key
            </Link>
          ) : null
        }
      />
      {keys.length === 0 ? (
        <EmptyState title="This tenant has no signing keys yet">
          {canChange ? (
            <>
              <Link className="text-brand-700 underline" href={`${base}/keys/new`}>
                Add a key
              </Link>{" "}
              by uploading the bank&apos;s certificate and key, pasting a private JWK, or generating one.
            </>
          ) : (
            "An operator can add one."
          )}
        </EmptyState>
      ) : (
        <div className="space-y-8">
          {GROUPS.map(({ state, title }) => {
            const group = byState([state]);
            const headingId = `keys-${state}-heading`;
            return (
              <section key={state} aria-labelledby={headingId}>
                <h2 id={headingId} className="text-lg font-semibold">
                  {title} <span className="text-sm font-normal text-slate-600">({group.length})</span>
                </h2>
                <p className="mb-3 text-sm text-slate-600">{STATE_MEANING[state].replace(/^./, (c) => c.toUpperCase())}.</p>
                {group.length > 0 ? (
                  <KeysTable slug={slug} caption={`${title} keys`} keys={group} canChange={canChange} activeByScope={activeByScope} now={now} />
                ) : (
                  <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-3 text-sm text-slate-600">No {title.toLowerCase()} keys.</p>
                )}
              </section>
            );
          })}
          {gone.length > 0 ? (
            <details className="rounded-lg border border-slate-200 bg-white p-4" data-testid="gone-keys">
              <summary className="cursor-pointer text-base font-semibold">Revoked and removed ({gone.length})</summary>
              <p className="mb-3 mt-2 text-sm text-slate-600">No longer published; kept for the record.</p>
              <KeysTable slug={slug} caption="Revoked and removed keys" keys={gone} canChange={false} activeByScope={activeByScope} now={now} />
            </details>
          ) : null}
        </div>
      )}
    </>
  );
}
