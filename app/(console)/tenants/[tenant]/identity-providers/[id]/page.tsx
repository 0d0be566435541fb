import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { getIdentityProvider } from "@/lib/idps/identity-providers";
import { idpHealth, summarizeKeys } from "@/lib/idps/idp-keys";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader, Time } from "@/components/ui/page";
import { DetailRow } from "@/components/keys/certificate-details";
import { HealthDetails } from "@/components/idps/idp-health";
import { IdpControls } from "@/components/idps/idp-controls";
import { JwtTester } from "@/components/idps/jwt-tester";
import { KeysFound } from "@/components/idps/keys-found";
import { RefreshKeys } from "@/components/idps/refresh-keys";
import { idpsHref, KEY_SOURCE_LABEL } from "@/components/idps/idp-labels";
import { decodeParam } from "../../keys/params";

interface Props {
  params: Promise<{ tenant: string; id: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Identity provider of ${decodeParam((await params).tenant)}` };
}

export default async function IdentityProviderPage({ params }: Props) {
  const actor = await requirePageActor();
  const raw = await params;
  const slug = decodeParam(raw.tenant);
  const id = decodeParam(raw.id);
  const idp = await unlessNotFound(() => getIdentityProvider(actor, slug, id));
  if (!idp) notFound();
  const canChange = hasRole(actor.role, "operator");
  const tenantPath = `/tenants/${encodeURIComponent(slug)}`;
  const health = idp.keySource === "jwks_uri" ? idpHealth(idp.jwksUri) : null;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex flex-wrap gap-x-2 text-sm">
        <Link href={tenantPath} className="text-brand-700 underline">
          Tenant {slug}
        </Link>
        <span aria-hidden="true" className="text-slate-600">
          /
        </span>
        <Link href={idpsHref(slug)} className="text-brand-700 underline">
          Identity providers
        </Link>
      </nav>
      <PageHeader
        title="Identity provider"
        description={
          <span className="flex flex-wrap items-center gap-2">
            <code className="break-all font-mono text-sm text-slate-900" data-testid="idp-name">
              {idp.name}
            </code>
            {idp.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}
          </span>
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <Card title="Details">
          <dl className="space-y-2 text-sm">
            <DetailRow label="Issuer (name)">
              <span className="break-all font-mono text-xs">{idp.name}</span>
            </DetailRow>
            <DetailRow label="Audience">
              <span className="break-all font-mono text-xs" data-testid="idp-audience">
                {idp.audience}
              </span>
            </DetailRow>
            <DetailRow label="Key source">{KEY_SOURCE_LABEL[idp.keySource]}</DetailRow>
            {idp.jwksUri ? (
              <DetailRow label="jwks_uri">
                <span className="break-all font-mono text-xs">{idp.jwksUri}</span>
              </DetailRow>
            ) : null}
            <DetailRow label="Allowed algorithms">{idp.allowedAlgs.join(", ")}</DetailRow>
            <DetailRow label="Max assertion lifetime">{idp.maxAssertionLifetimeSeconds} s</DetailRow>
            <DetailRow label="Clock skew">{idp.clockSkewSeconds} s</DetailRow>
            <DetailRow label="jti reuse">{idp.refuseJtiReuse ? "refused (replay cache)" : "allowed"}</DetailRow>
            {idp.keySource === "jwks_uri" ? (
              <DetailRow label="Fetch limits">
                {idp.fetch.connectTimeoutMs} ms connect, {idp.fetch.readTimeoutMs} ms read, {idp.fetch.sizeLimitBytes} bytes
              </DetailRow>
            ) : null}
            <DetailRow label="Created">
              <Time value={idp.createdAt} /> <span className="text-slate-600">by {idp.createdBy}</span>
            </DetailRow>
            <DetailRow label="Last changed">
              <Time value={idp.updatedAt} />
            </DetailRow>
          </dl>
          {canChange ? (
            <div className="mt-4 border-t border-slate-200 pt-4">
              <IdpControls slug={slug} id={idp.id} name={idp.name} enabled={idp.enabled} />
            </div>
          ) : null}
        </Card>
        <Card title={idp.keySource === "jwks_uri" ? "Keys and fetch health" : "Keys"}>
          <div className="space-y-4">
            {health ? <HealthDetails health={health} /> : <KeysFound keys={summarizeKeys(idp.jwks?.keys ?? [])} caption="Keys of this identity provider" />}
            {canChange && idp.keySource === "jwks_uri" ? <RefreshKeys slug={slug} id={idp.id} /> : null}
          </div>
        </Card>
      </div>
      <div className="mt-6">
        <Card title="JWT tester">
          <p className="mb-4 text-sm text-slate-600">
            Paste a JWT this IdP signed to see its header and claims, and each check the token endpoint applies: format, alg, iss, kid, signature, aud, exp,
            nbf, iat, lifetime and sub.
          </p>
          <JwtTester slug={slug} id={idp.id} />
        </Card>
      </div>
    </>
  );
}
