import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { getTenant } from "@/lib/tenants/tenants";
import { PROFILES } from "@/lib/tenants/profiles";
import { RoleRequired } from "@/components/auth/role-required";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { buttonClass } from "@/components/ui/button";
import { CopyBox } from "@/components/ui/copy-box";
import { Card, PageHeader } from "@/components/ui/page";
import { clientsHref } from "@/components/clients/client-labels";
import { DcrTesterForm } from "@/components/directories/dcr-tester-form";
import { directoriesHref } from "@/components/directories/directory-labels";
import { decodeParam } from "../keys/params";

interface Props {
  params: Promise<{ tenant: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `DCR tester of ${decodeParam((await params).tenant)}` };
}

export default async function DcrTesterPage({ params }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const tenant = await unlessNotFound(() => getTenant(actor, slug));
  if (!tenant) notFound();
  const profile = PROFILES[tenant.profile];

  return (
    <>
      <Breadcrumb href={`/tenants/${encodeURIComponent(tenant.slug)}`}>Tenant {tenant.slug}</Breadcrumb>
      <PageHeader
        title="DCR tester"
        description={
          <>
            Checks a TPP&apos;s registration request exactly as the registration endpoint of tenant <span className="font-mono">{tenant.slug}</span>{" "}
            does ({profile.label} rules), rule by rule, without registering anything.
          </>
        }
        actions={
          <>
            <Link href={clientsHref(tenant.slug)} className={buttonClass("secondary")}>
              Clients
            </Link>
            <Link href={directoriesHref(tenant.slug)} className={buttonClass("secondary")}>
              Directories
            </Link>
          </>
        }
      />
      <div className="space-y-6">
        <Card title="Registration endpoint">
          <div className="space-y-3">
            <CopyBox id="registration-endpoint" label="Registration endpoint (POST, application/jwt)" value={tenant.registrationEndpoint} />
            <p className="text-sm text-slate-600">
              The request&apos;s <code className="font-mono text-xs">aud</code> must be the issuer{" "}
              <code className="break-all font-mono text-xs">{tenant.issuer}</code>, and its software statement must be signed by one of this tenant&apos;s{" "}
              <Link className="text-brand-700 underline" href={directoriesHref(tenant.slug)}>
                directories
              </Link>
              .
            </p>
          </div>
        </Card>
        <Card title="Check a registration request">
          {hasRole(actor.role, "operator") ? (
            <DcrTesterForm slug={tenant.slug} />
          ) : (
            <RoleRequired role="operator" current={actor.role} what="check registration requests" />
          )}
        </Card>
      </div>
    </>
  );
}
