import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { getSigningKey, listSigningKeys } from "@/lib/keys/list-keys";
import { getRotationStatus } from "@/lib/rotation/status";
import { Card, PageHeader, Time } from "@/components/ui/page";
import { AttachCertificateForm } from "@/components/keys/attach-certificate-form";
import { CertificateDetails, DetailRow } from "@/components/keys/certificate-details";
import { CopyArea } from "@/components/keys/copy-area";
import { CsrForm } from "@/components/keys/csr-form";
import { ExpiryBadge } from "@/components/keys/expiry-badge";
import { KeyActionForm } from "@/components/keys/key-action-form";
import { ActivateKeyForm } from "@/components/keys/activate-key-form";
import { RevokeActiveKeyForm } from "@/components/keys/revoke-active-key-form";
import { earlyActivation } from "@/components/rotation/early-activation";
import { formatDuration, formatRelative, formatUtc } from "@/components/rotation/durations";
import { buttonClass } from "@/components/ui/button";
import { KeyStateBadge } from "@/components/keys/key-state-badge";
import { kidStrategyLabel, sourceLabel, STATE_MEANING } from "@/components/keys/key-labels";
import { decodeParam } from "../params";

interface Props {
  params: Promise<{ tenant: string; kid: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Signing key ${decodeParam((await params).kid)}` };
}

export default async function KeyPage({ params }: Props) {
  const actor = await requirePageActor();
  const raw = await params;
  const slug = decodeParam(raw.tenant);
  const kid = decodeParam(raw.kid);
  const key = await unlessNotFound(() => getSigningKey(actor, slug, kid));
  if (!key) notFound();

  const canChange = hasRole(actor.role, "operator");
  const hasPrivateKey = key.state === "staged" || key.state === "active" || key.state === "retired";
  const [status, staged] = await Promise.all([
    getRotationStatus(actor, slug),
    // The keys that could replace this one if it is revoked while it signs.
    canChange && key.state === "active" ? listSigningKeys(actor, slug, { state: "staged" }) : Promise.resolve([]),
  ]);
  const tenantPath = `/tenants/${encodeURIComponent(slug)}`;
  const keyPath = `${tenantPath}/keys/${encodeURIComponent(key.kid)}`;
  const publicPemHref = `/api/v1/tenants/${encodeURIComponent(slug)}/keys/${encodeURIComponent(key.kid)}/public.pem`;
  const scope = key.appId ? `app ${key.appId}` : "the tenant";
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request
  const now = Date.now();
  const { policy } = status;
  const activeKid = status.scopes.find((sc) => sc.appId === key.appId)?.active?.kid;
  const early = earlyActivation(key, { effectivePropagationSeconds: policy.effectivePropagationSeconds, scopeHasActive: activeKid !== undefined, now });
  const retention = formatDuration(policy.retentionSeconds, { long: true });
  const activateDescription =
    activeKid && activeKid !== key.kid
      ? `It becomes the signing key of ${scope}; ${activeKid} is retired and stays published for ${retention} (the retention time), so the tokens it signed still verify.`
      : `It becomes the signing key of ${scope}; no key signs there now.`;
  const removable = key.state !== "retired" || !key.removesAt || Date.parse(key.removesAt) <= now || !key.activatedAt;
  const candidates = staged
    .filter((k) => k.appId === key.appId && k.kid !== key.kid && k.expiry !== "expired" && k.expiry !== "not-yet-valid")
    .map((k) => ({ kid: k.kid, alg: k.alg, createdAt: k.createdAt, propagated: Date.parse(k.createdAt) + policy.effectivePropagationSeconds * 1000 <= now }));

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex flex-wrap gap-x-2 text-sm">
        <Link href={tenantPath} className="text-brand-700 underline">
          Tenant {slug}
        </Link>
        <span aria-hidden="true" className="text-slate-600">
          /
        </span>
        <Link href={`${tenantPath}/keys`} className="text-brand-700 underline">
          Signing keys
        </Link>
      </nav>
      <PageHeader
        title="Signing key"
        description={
          <span className="flex flex-wrap items-center gap-2">
            <code className="break-all font-mono text-sm text-slate-900" data-testid="key-kid">
              {key.kid}
            </code>
            <KeyStateBadge state={key.state} />
            <span>{STATE_MEANING[key.state]}</span>
          </span>
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <Card title="Key">
          <dl className="space-y-2 text-sm">
            <DetailRow label="kid">
              <span className="break-all font-mono text-xs">{key.kid}</span>
            </DetailRow>
            <DetailRow label="Algorithm">{key.alg}</DetailRow>
            <DetailRow label="kid strategy">{kidStrategyLabel(key.kidStrategy)}</DetailRow>
            <DetailRow label="Source">{sourceLabel(key.source)}</DetailRow>
            <DetailRow label="App">{key.appId ? <span className="font-mono text-xs">{key.appId}</span> : "tenant-wide"}</DetailRow>
            <DetailRow label="Created">
              <Time value={key.createdAt} /> <span className="text-slate-600">by {key.createdBy}</span>
            </DetailRow>
            <DetailRow label="Activated">
              <Time value={key.activatedAt} />
            </DetailRow>
            {key.activatesAt ? (
              <DetailRow label="Signs from">
                <span data-testid="key-activates-at">
                  <Time value={key.activatesAt} /> <span className="text-slate-600">({formatRelative(Date.parse(key.activatesAt), now)}; planned by a rotation)</span>
                </span>
              </DetailRow>
            ) : null}
            {key.forcedReason ? (
              <DetailRow label="Forced">
                <span data-testid="key-forced-reason">Activated before its propagation time had passed: {key.forcedReason}</span>
              </DetailRow>
            ) : null}
            <DetailRow label="Retired">
              <Time value={key.retiredAt} />
            </DetailRow>
            {key.removesAt ? (
              <DetailRow label="Leaves the JWKS">
                <Time value={key.removesAt} /> <span className="text-slate-600">({formatRelative(Date.parse(key.removesAt), now)}; end of retention)</span>
              </DetailRow>
            ) : null}
            <DetailRow label="Removed">
              <Time value={key.removedAt} />
            </DetailRow>
            <DetailRow label="Revoked">
              <Time value={key.revokedAt} />
              {key.revokeReason ? <span className="block text-slate-700">Reason: {key.revokeReason}</span> : null}
            </DetailRow>
          </dl>
        </Card>
        <Card title="Certificate">
          {key.certificate ? (
            <CertificateDetails
              certificate={key.certificate}
              extra={
                <>
                  <DetailRow label="Validity">
                    <ExpiryBadge expiry={key.expiry} notAfter={key.certificate.notAfter} notBefore={key.certificate.notBefore} now={now} />
                  </DetailRow>
                  <DetailRow label="Chain length">
                    {key.chainLength} {key.chainLength === 1 ? "certificate" : "certificates"}
                  </DetailRow>
                </>
              }
            />
          ) : (
            <p className="text-sm text-slate-600" data-testid="no-certificate">
              No certificate: the key is published without x5c.{canChange && hasPrivateKey ? " Create a CSR below, have it signed, and attach the certificate." : ""}
            </p>
          )}
        </Card>
        <Card title="Public key">
          <div className="space-y-3">
            <CopyArea id="public-jwk" label="Public JWK (as published)" value={JSON.stringify(key.publicJwk, null, 2)} />
            <div className="flex flex-wrap gap-4 text-sm">
              <a className="text-brand-700 underline" href={publicPemHref} download>
                Download public key (PEM)
              </a>
              {key.hasCsr ? (
                <a className="text-brand-700 underline" href={`${keyPath}/csr.pem`} download>
                  Download the latest CSR
                </a>
              ) : null}
            </div>
          </div>
        </Card>
        {canChange && hasPrivateKey ? (
          <>
            <Card title="Lifecycle">
              <div className="space-y-3 text-sm">
                {key.state === "active" ? (
                  <>
                    <p className="text-slate-700">
                      This key signs for {scope}. To replace it without breaking relying parties, rotate: the next key is published first and signs once
                      relying parties have fetched it; this key then retires and stays published for {retention}.
                    </p>
                    {key.appId === null ? (
                      <Link href={`${tenantPath}/keys/rotate`} className={buttonClass("secondary", "sm")}>
                        Rotate now
                      </Link>
                    ) : null}
                    <p className="text-slate-700">If the key is compromised, revoke it: a replacement signs from the same moment.</p>
                    <RevokeActiveKeyForm
                      slug={slug}
                      kid={key.kid}
                      scope={scope}
                      candidates={candidates}
                      generateAlg={policy.algorithm}
                      accessTokenTtlSeconds={policy.accessTokenTtlSeconds}
                      jwksMaxAgeSeconds={policy.jwksMaxAgeSeconds}
                    />
                  </>
                ) : (
                  <>
                    {early ? (
                      <p className="text-slate-700" data-testid="key-propagation">
                        Published at {formatUtc(early.publishedAt)}; relying parties have fetched it by {formatUtc(early.propagatedAt, { seconds: true })} (in{" "}
                        {early.remaining}). Activating it before then needs a reason.
                      </p>
                    ) : null}
                    <div className="flex flex-wrap items-start gap-3">
                      <ActivateKeyForm slug={slug} kid={key.kid} title={`Activate ${key.kid}?`} description={activateDescription} early={early} />
                      {key.state === "staged" ? (
                        <KeyActionForm
                          slug={slug}
                          kid={key.kid}
                          operation="retire"
                          title={`Retire ${key.kid}?`}
                          description={
                            key.activatesAt
                              ? "It stays published in the JWKS and the planned rotation to it is called off; you can still activate it later."
                              : "It stays published in the JWKS but will not be activated by mistake; you can still activate it later."
                          }
                        />
                      ) : null}
                      <KeyActionForm
                        slug={slug}
                        kid={key.kid}
                        operation="remove"
                        title={`Remove ${key.kid}?`}
                        description={
                          removable
                            ? "It leaves the JWKS: tokens it signed no longer verify once relying parties refresh. Its private part is destroyed; the record stays. This cannot be undone."
                            : `Tokens it signed may still be in use: it stays published until ${formatUtc(key.removesAt!)} (the retention time), and removing it earlier is refused. Revoke it instead if it is compromised.`
                        }
                      />
                      <KeyActionForm
                        slug={slug}
                        kid={key.kid}
                        operation="revoke"
                        title={`Revoke ${key.kid}?`}
                        description="For a compromised key: it leaves the JWKS at once and its private part is destroyed. This cannot be undone."
                      />
                    </div>
                  </>
                )}
              </div>
            </Card>
            <Card title="Certificate signing request">
              <p className="mb-4 text-sm text-slate-600">A PKCS#10 request signed by this key, for the directory or CA that issues its certificate.</p>
              <CsrForm slug={slug} kid={key.kid} downloadHref={`${keyPath}/csr.pem`} />
            </Card>
            <Card title={key.certificate ? "Renew certificate" : "Attach certificate"}>
              <p className="mb-4 text-sm text-slate-600">
                {key.certificate
                  ? "Attach the renewed certificate issued for this same key; it replaces the current one in the JWKS (x5c, x5t)."
                  : "Attach the certificate issued for this key; it must match the key."}
              </p>
              <AttachCertificateForm slug={slug} kid={key.kid} renew={key.certificate !== null} />
            </Card>
          </>
        ) : null}
      </div>
      {canChange && !hasPrivateKey ? (
        <p className="mt-6 text-sm text-slate-600">
          This key is {key.state}: it is kept for the record, and nothing more can be done with it.
        </p>
      ) : null}
    </>
  );
}
