import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { getTenant } from "@/lib/tenants/tenants";
import { PROFILES } from "@/lib/tenants/profiles";
import { getRotationPolicy, type RotationPolicyView } from "@/lib/rotation/policy";
import { CLOCK_SKEW_SECONDS } from "@/lib/rotation/lifecycle";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { Card, PageHeader } from "@/components/ui/page";
import { asSentence } from "@/components/ui/form-alert";
import { DetailRow } from "@/components/keys/certificate-details";
import { WarningsList } from "@/components/keys/warnings-list";
import { RotationPolicyForm } from "@/components/rotation/rotation-policy-form";
import { formatDuration } from "@/components/rotation/durations";
import { decodeParam } from "../keys/params";

interface Props {
  params: Promise<{ tenant: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Rotation policy of ${decodeParam((await params).tenant)}` };
}

function PolicyValues({ policy }: { policy: RotationPolicyView }) {
  return (
    <dl className="space-y-2 text-sm" data-testid="policy-values">
      <DetailRow label="Propagation time">
        {formatDuration(policy.propagationSeconds, { long: true })}{" "}
        <span className="text-slate-600">(activation waits {formatDuration(policy.effectivePropagationSeconds, { long: true })})</span>
      </DetailRow>
      <DetailRow label="JWKS max-age">{formatDuration(policy.jwksMaxAgeSeconds, { long: true })}</DetailRow>
      <DetailRow label="Retention time">{formatDuration(policy.retentionSeconds, { long: true })}</DetailRow>
      <DetailRow label="Access-token lifetime">{formatDuration(policy.accessTokenTtlSeconds, { long: true })}</DetailRow>
      <DetailRow label="Automatic rotation">
        {policy.rotationIntervalSeconds === null ? "off" : `every ${formatDuration(policy.rotationIntervalSeconds, { long: true })}`}
      </DetailRow>
      <DetailRow label="Planned keys">{policy.autoActivate ? "activate by themselves" : "are activated by hand"}</DetailRow>
      <DetailRow label="Algorithm of generated keys">
        {policy.algorithm}
        {policy.algorithmIsDefault ? <span className="text-slate-600"> (the profile&apos;s default)</span> : null}
      </DetailRow>
      <DetailRow label="Certificate expiry warning">
        {policy.expiryWarningDays} {policy.expiryWarningDays === 1 ? "day" : "days"} ahead
      </DetailRow>
    </dl>
  );
}

export default async function RotationPolicyPage({ params }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const tenant = await unlessNotFound(() => getTenant(actor, slug));
  if (!tenant) notFound();
  const policy = await getRotationPolicy(actor, slug);
  const profile = PROFILES[tenant.profile];
  const base = `/tenants/${encodeURIComponent(slug)}`;
  const isAdmin = hasRole(actor.role, "admin");
  return (
    <>
      <Breadcrumb href={base}>Tenant {tenant.slug}</Breadcrumb>
      <PageHeader
        title="Rotation policy"
        description={
          <>
            How tenant <span className="font-mono">{tenant.slug}</span> replaces its signing keys without breaking relying parties: a new key is published,
            signs once their caches have picked it up, and the old key stays published until the tokens it signed have expired.
          </>
        }
        actions={
          <Link href={`${base}/keys`} className="text-sm font-medium text-brand-700 underline">
            Signing keys and timeline
          </Link>
        }
      />
      <div className="space-y-6">
        <WarningsList id="policy-warnings" warnings={policy.warnings.map(asSentence)} />
        <div className="grid items-start gap-6 lg:grid-cols-[2fr_1fr]">
          <Card title={isAdmin ? "Change the policy" : "Policy"}>
            {isAdmin ? (
              <RotationPolicyForm slug={tenant.slug} policy={policy} algs={profile.signingAlgs} profileAlg={profile.signingAlgs[0]} clockSkewSeconds={CLOCK_SKEW_SECONDS} />
            ) : (
              <>
                <PolicyValues policy={policy} />
                <p className="mt-4 text-sm text-slate-600" data-testid="policy-admin-only">
                  Only an admin can change the rotation policy.
                </p>
              </>
            )}
          </Card>
          <Card title="With this policy">
            <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700">
              <li>A rotation publishes the next key at once; it is in the JWKS but does not sign.</li>
              <li>After {formatDuration(policy.effectivePropagationSeconds, { long: true })} it starts signing{policy.autoActivate ? "" : ", once someone activates it"}; the previous key retires.</li>
              <li>
                The retired key stays published for {formatDuration(policy.retentionSeconds, { long: true })}, then leaves the JWKS; tokens last{" "}
                {formatDuration(policy.accessTokenTtlSeconds, { long: true })}.
              </li>
              <li>
                {policy.rotationIntervalSeconds === null
                  ? "Rotations happen when someone starts one (Rotate now on the keys page)."
                  : `The next rotation starts by itself ${formatDuration(policy.rotationIntervalSeconds, { long: true })} after a key starts signing.`}
              </li>
            </ol>
          </Card>
        </div>
      </div>
    </>
  );
}
