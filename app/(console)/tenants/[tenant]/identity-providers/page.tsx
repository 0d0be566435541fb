import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { listIdentityProviders } from "@/lib/idps/identity-providers";
import { idpHealth } from "@/lib/idps/idp-keys";
import { buttonClass } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { EmptyState, PageHeader, Table, Td } from "@/components/ui/page";
import { HealthSummary } from "@/components/idps/idp-health";
import { idpHref, KEY_SOURCE_LABEL } from "@/components/idps/idp-labels";
import { decodeParam } from "../keys/params";

interface Props {
  params: Promise<{ tenant: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Identity providers of ${decodeParam((await params).tenant)}` };
}

export default async function IdentityProvidersPage({ params }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const idps = await unlessNotFound(() => listIdentityProviders(actor, slug));
  if (!idps) notFound();
  const canChange = hasRole(actor.role, "operator");
  const base = `/tenants/${encodeURIComponent(slug)}`;

  return (
    <>
      <Breadcrumb href={base}>Tenant {slug}</Breadcrumb>
      <PageHeader
        title="Identity providers"
        description={
          <>
            External IdPs whose signed JWT assertions tenant <span className="font-mono">{slug}</span> exchanges for access tokens (RFC 7523 jwt-bearer).
          </>
        }
        actions={
          canChange ? (
            <Link href={`${base}/identity-providers/new`} className={buttonClass("primary")}>
              Register an identity provider
            </Link>
          ) : null
        }
      />
      {idps.length === 0 ? (
        <EmptyState title="This tenant has no identity providers yet">
          {canChange ? (
            <>
              <Link className="text-brand-700 underline" href={`${base}/identity-providers/new`}>
                Register an identity provider
              </Link>{" "}
              by its issuer and a jwks_uri, an inline JWKS or its certificates.
            </>
          ) : (
            "An operator can register one."
          )}
        </EmptyState>
      ) : (
        <Table caption="Identity providers" head={["Issuer (name)", "Audience", "Key source", "Status", "Health"]}>
          {idps.map((idp) => {
            const health = idpHealth(idp.keySource === "jwks_uri" ? idp.jwksUri : null);
            return (
              <tr key={idp.id} data-testid="idp-row">
                <Td className="whitespace-normal break-all">
                  <Link className="font-medium text-brand-700 underline" href={idpHref(slug, idp.id)}>
                    {idp.name}
                  </Link>
                </Td>
                <Td className="font-mono text-xs whitespace-normal break-all">{idp.audience}</Td>
                <Td className="whitespace-normal">
                  {KEY_SOURCE_LABEL[idp.keySource]}
                  {idp.jwksUri ? <span className="block break-all font-mono text-xs text-slate-600">{idp.jwksUri}</span> : null}
                  {idp.jwks ? (
                    <span className="block text-xs text-slate-600">
                      {idp.jwks.keys.length} {idp.jwks.keys.length === 1 ? "key" : "keys"}
                    </span>
                  ) : null}
                </Td>
                <Td>{idp.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}</Td>
                <Td className="whitespace-normal">{health ? <HealthSummary health={health} /> : <span className="text-xs text-slate-600">keys held here</span>}</Td>
              </tr>
            );
          })}
        </Table>
      )}
    </>
  );
}
