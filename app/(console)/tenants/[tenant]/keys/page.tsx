import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { listSigningKeys } from "@/lib/keys/list-keys";
import { getRotationStatus, type RotationStatus } from "@/lib/rotation/status";
import type { KeyState, SigningKeyView } from "@/lib/keys/schemas";
import { tenantIssuer } from "@/lib/tenants/tenants";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/page";
import { KeysTable } from "@/components/keys/keys-table";
import { STATE_MEANING } from "@/components/keys/key-labels";
import { RotationTimeline } from "@/components/rotation/rotation-timeline";
import { formatDuration, formatRelative, formatUtc } from "@/components/rotation/durations";
import { decodeParam } from "./params";

interface Props {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<{ rotated?: string | string[] }>;
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

/** What the rotation just started does, after "Rotate now" brought the admin back here. */
function RotationNotice({ kid, keys, status }: { kid: string; keys: SigningKeyView[]; status: RotationStatus }) {
  const key = keys.find((k) => k.kid === kid);
  if (!key || (key.state !== "staged" && key.state !== "active")) return null;
  const now = Date.parse(status.now);
  let text: string;
  if (key.state === "active") {
    text = `Rotation done: ${key.kid} is published and signs now.`;
  } else if (key.activatesAt) {
    const at = `${formatUtc(key.activatesAt, { seconds: true })} (${formatRelative(Date.parse(key.activatesAt), now)})`;
    const retiring = status.scopes.find((sc) => sc.appId === key.appId)?.active?.kid;
    const removal = retiring ? status.events.find((e) => e.kind === "removal" && e.kid === retiring) : undefined;
    // A staged key chosen for the rotation may have been published long before.
    const published = Date.parse(key.createdAt) > now - 60_000 ? "is published now" : `has been published since ${formatUtc(key.createdAt)}`;
    text = status.policy.autoActivate
      ? `Rotation started: ${key.kid} ${published} and signs from ${at}.`
      : `Rotation started: ${key.kid} ${published} and may be activated from ${at}; automatic activation is off, so activate it then.`;
    if (retiring) text += ` ${retiring} retires then${removal ? ` and leaves the JWKS at ${formatUtc(removal.at)}` : ""}.`;
  } else {
    return null;
  }
  return (
    <p role="status" data-testid="rotation-notice" className="mb-6 rounded-md border border-green-300 bg-green-50 px-4 py-3 text-sm text-green-900">
      {text}
    </p>
  );
}

export default async function KeysPage({ params, searchParams }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const keys = await unlessNotFound(() => listSigningKeys(actor, slug));
  if (!keys) notFound();
  const status = await getRotationStatus(actor, slug);
  const { rotated } = await searchParams;
  const { policy } = status;

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
          <>
            <Link href={`${base}/rotation-policy`} className={buttonClass("ghost")}>
              Rotation policy
            </Link>
            {canChange ? (
              <>
                {keys.length > 0 ? (
                  <Link href={`${base}/keys/rotate`} className={buttonClass("secondary")}>
                    Rotate now
                  </Link>
                ) : null}
                <Link href={`${base}/keys/new`} className={buttonClass("primary")}>
                  Add a key
                </Link>
              </>
            ) : null}
          </>
        }
      />
      {typeof rotated === "string" ? <RotationNotice kid={rotated} keys={keys} status={status} /> : null}
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
          <section aria-labelledby="rotation-heading" data-testid="rotation-timeline">
            <h2 id="rotation-heading" className="text-lg font-semibold">
              Rotation
            </h2>
            <p className="mb-3 text-sm text-slate-600">
              A new key is published {formatDuration(policy.effectivePropagationSeconds)} before it signs (propagation, JWKS max-age{" "}
              {formatDuration(policy.jwksMaxAgeSeconds)}); a retired key stays published for {formatDuration(policy.retentionSeconds)};{" "}
              {policy.rotationIntervalSeconds === null
                ? "automatic rotation is off."
                : `a new key is staged every ${formatDuration(policy.rotationIntervalSeconds)}${policy.autoActivate ? " and activates by itself" : ", to be activated by hand"}.`}
            </p>
            <RotationTimeline slug={slug} status={status} />
          </section>
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
                  <KeysTable slug={slug} caption={`${title} keys`} keys={group} canChange={canChange} activeByScope={activeByScope} now={now} effectivePropagationSeconds={policy.effectivePropagationSeconds} />
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
              <KeysTable slug={slug} caption="Revoked and removed keys" keys={gone} canChange={false} activeByScope={activeByScope} now={now} effectivePropagationSeconds={policy.effectivePropagationSeconds} />
            </details>
          ) : null}
        </div>
      )}
    </>
  );
}
