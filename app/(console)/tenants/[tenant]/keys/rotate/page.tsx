import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { getTenant } from "@/lib/tenants/tenants";
import { PROFILES } from "@/lib/tenants/profiles";
import { getRotationStatus } from "@/lib/rotation/status";
import { RoleRequired } from "@/components/auth/role-required";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { Card, PageHeader } from "@/components/ui/page";
import { asSentence } from "@/components/ui/form-alert";
import { algsPs256First, keyHref } from "@/components/keys/key-labels";
import { RotateForm } from "@/components/rotation/rotate-form";
import { decodeParam } from "../params";

interface Props {
  params: Promise<{ tenant: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Rotate the signing key of ${decodeParam((await params).tenant)}` };
}

export default async function RotatePage({ params }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const tenant = await unlessNotFound(() => getTenant(actor, slug));
  if (!tenant) notFound();
  const keysPath = `/tenants/${encodeURIComponent(slug)}/keys`;
  const header = (
    <>
      <Breadcrumb href={keysPath}>Signing keys of {tenant.slug}</Breadcrumb>
      <PageHeader
        title="Rotate now"
        description="Publish the next signing key of the tenant now. It signs once relying parties have had time to fetch it; the current key then retires and stays published until the tokens it signed have expired."
      />
    </>
  );
  if (!hasRole(actor.role, "operator")) {
    return (
      <>
        {header}
        <RoleRequired role="operator" current={actor.role} what="rotate signing keys" />
      </>
    );
  }

  const status = await getRotationStatus(actor, slug);
  const { rotateNow, policy } = status;
  const pending = status.scopes.find((s) => s.appId === null)?.pending ?? null;
  return (
    <>
      {header}
      <div className="max-w-3xl">
        <Card>
          {rotateNow.possible ? (
            <RotateForm
              slug={tenant.slug}
              algs={algsPs256First(PROFILES[tenant.profile].signingAlgs)}
              defaultAlg={policy.algorithm}
              plan={{
                now: status.now,
                publishedAt: rotateNow.publishedAt,
                activatesAt: rotateNow.activatesAt,
                retiringKid: rotateNow.retiringKid,
                removesRetiringAt: rotateNow.removesRetiringAt,
              }}
              candidates={rotateNow.stagedCandidates}
              retentionSeconds={policy.retentionSeconds}
              propagationSeconds={policy.effectivePropagationSeconds}
              autoActivate={policy.autoActivate}
            />
          ) : (
            <div className="space-y-3 text-sm" data-testid="rotation-blocked">
              <p className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-amber-950">{asSentence(rotateNow.blockedBy ?? "A rotation is under way")}</p>
              <p className="text-slate-700">
                One rotation at a time: wait for it to finish, or activate or retire the planned key first.
                {pending ? (
                  <>
                    {" "}
                    <Link href={keyHref(slug, pending.kid)} className="text-brand-700 underline">
                      Open the planned key
                    </Link>
                  </>
                ) : null}
              </p>
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
