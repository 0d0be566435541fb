import Link from "next/link";
import type { RotationStatus } from "@/lib/rotation/status";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { asSentence } from "@/components/ui/form-alert";
import { Card } from "@/components/ui/page";
import { keyHref } from "@/components/keys/key-labels";
import { formatDuration, formatRelative, formatUtc } from "@/components/rotation/durations";

type Level = RotationStatus["warnings"][number]["level"];

const LEVEL: Record<Level, { tone: BadgeTone; label: string; box: string }> = {
  critical: { tone: "red", label: "critical", box: "border-red-300 bg-red-50 text-red-900" },
  warning: { tone: "amber", label: "warning", box: "border-amber-300 bg-amber-50 text-amber-950" },
  info: { tone: "neutral", label: "info", box: "border-slate-200 bg-slate-50 text-slate-800" },
};
const ORDER: Record<Level, number> = { critical: 0, warning: 1, info: 2 };

interface Attention {
  level: Level;
  kind: string;
  message: string;
}

/** What needs someone's attention, the most urgent first; the scheduler's health included. */
function attention(status: RotationStatus): Attention[] {
  const items: Attention[] = status.warnings.map((w) => ({ level: w.level, kind: w.kind, message: asSentence(w.message) }));
  if (!status.scheduler.alive) {
    items.push({
      level: "warning",
      kind: "scheduler",
      message: status.scheduler.enabled
        ? `The rotation scheduler is not running${status.scheduler.lastRenewedAt ? ` (last seen ${formatUtc(status.scheduler.lastRenewedAt)})` : ""}: planned activations, removals and automatic rotations wait until it runs again.`
        : "The rotation scheduler does not run in this server (KEYWARD_SCHEDULER is off) and no other instance runs it: planned activations, removals and automatic rotations wait until one does.",
    });
  }
  return items.sort((a, b) => ORDER[a.level] - ORDER[b.level]);
}

function certificateText(active: NonNullable<RotationStatus["scopes"][number]["active"]>): string {
  if (!active.certNotAfter || active.expiresInSeconds === null) return "no certificate";
  if (active.expiresInSeconds <= 0) return `certificate expired on ${formatUtc(active.certNotAfter)}`;
  return `certificate expires in ${formatDuration(active.expiresInSeconds)} (${formatUtc(active.certNotAfter)})`;
}

/**
 * The dashboard's view of a tenant's signing keys: which key signs and for how
 * long it has, its certificate's countdown, what happens next, and what needs
 * attention (forced activations, expiring certificates, no active key, the
 * scheduler).
 */
export function SigningKeysCard({ slug, status }: { slug: string; status: RotationStatus }) {
  const now = Date.parse(status.now);
  const keysPath = `/tenants/${encodeURIComponent(slug)}/keys`;
  const items = attention(status);
  return (
    <Card
      title="Signing keys"
      actions={
        <Link href={keysPath} className="text-sm text-brand-700 underline">
          Keys and timeline
        </Link>
      }
    >
      <div className="space-y-4 text-sm" data-testid="signing-keys-card">
        {status.scopes.map((scope) => (
          <dl key={scope.appId ?? ""} className="space-y-2" data-testid="signing-scope" data-app={scope.appId ?? ""}>
            {scope.appId ? <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">App {scope.appId}</p> : null}
            <div className="grid grid-cols-[8rem_minmax(0,1fr)] gap-2">
              <dt className="text-slate-600">Active key</dt>
              <dd className="min-w-0">
                {scope.active ? (
                  <>
                    <Link href={keyHref(slug, scope.active.kid)} className="break-all font-mono text-xs text-brand-700 underline" data-testid="dashboard-active-kid">
                      {scope.active.kid}
                    </Link>{" "}
                    <span className="text-slate-600">({scope.active.alg})</span>
                  </>
                ) : (
                  <span className="font-medium text-red-800">none</span>
                )}
              </dd>
            </div>
            {scope.active ? (
              <>
                <div className="grid grid-cols-[8rem_minmax(0,1fr)] gap-2">
                  <dt className="text-slate-600">Signing for</dt>
                  <dd data-testid="dashboard-active-age">
                    {scope.active.ageSeconds === null ? "—" : formatDuration(scope.active.ageSeconds)}
                    {scope.active.activatedAt ? <span className="text-slate-600"> (since {formatUtc(scope.active.activatedAt)})</span> : null}
                  </dd>
                </div>
                <div className="grid grid-cols-[8rem_minmax(0,1fr)] gap-2">
                  <dt className="text-slate-600">Certificate</dt>
                  <dd data-testid="dashboard-certificate">{certificateText(scope.active)}</dd>
                </div>
              </>
            ) : null}
            <div className="grid grid-cols-[8rem_minmax(0,1fr)] gap-2">
              <dt className="text-slate-600">Next</dt>
              <dd data-testid="dashboard-next-event" className="[overflow-wrap:anywhere]">
                {scope.nextEvent ? (
                  <>
                    {asSentence(scope.nextEvent.label)}{" "}
                    <span className="text-slate-600">
                      <time dateTime={scope.nextEvent.at}>{formatUtc(scope.nextEvent.at)}</time> ({formatRelative(Date.parse(scope.nextEvent.at), now)})
                    </span>
                  </>
                ) : (
                  <span className="text-slate-600">nothing planned</span>
                )}
              </dd>
            </div>
          </dl>
        ))}
        {items.length > 0 ? (
          <div>
            <h3 className="mb-2 text-sm font-semibold text-slate-900">Needs attention ({items.length})</h3>
            <ul className="space-y-2">
              {items.map((item, i) => (
                <li key={`${item.kind}-${i}`} className={`rounded-md border px-3 py-2 ${LEVEL[item.level].box}`} data-testid="dashboard-warning" data-kind={item.kind} data-level={item.level}>
                  <span className="mr-2">
                    <Badge tone={LEVEL[item.level].tone}>{LEVEL[item.level].label}</Badge>
                  </span>
                  <span className="[overflow-wrap:anywhere]">{item.message}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="text-slate-600" data-testid="dashboard-no-warnings">
            Nothing needs attention.
          </p>
        )}
      </div>
    </Card>
  );
}
