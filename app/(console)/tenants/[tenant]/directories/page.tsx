import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { listDirectories } from "@/lib/directories/directories";
import { Badge } from "@/components/ui/badge";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, PageHeader, Table, Td } from "@/components/ui/page";
import { clientsHref } from "@/components/clients/client-labels";
import { CreateSandboxDirectory } from "@/components/directories/create-sandbox-directory";
import { DirectoryHealth } from "@/components/directories/directory-health";
import { dcrTesterHref, directoriesHref, directoryHref, keySourceLabel } from "@/components/directories/directory-labels";
import { decodeParam } from "../keys/params";

interface Props {
  params: Promise<{ tenant: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Directories of ${decodeParam((await params).tenant)}` };
}

export default async function DirectoriesPage({ params }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const directories = await unlessNotFound(() => listDirectories(actor, slug));
  if (!directories) notFound();
  const canChange = hasRole(actor.role, "operator");
  const newHref = `${directoriesHref(slug)}/new`;
  const hasSandbox = directories.some((d) => d.kind === "sandbox");

  return (
    <>
      <Breadcrumb href={`/tenants/${encodeURIComponent(slug)}`}>Tenant {slug}</Breadcrumb>
      <PageHeader
        title="Directories"
        description={
          <>
            The trust anchors of tenant <span className="font-mono">{slug}</span>: a TPP registers itself (Dynamic Client Registration) with a software
            statement signed by one of these directories, checked against its keys for its environment.
          </>
        }
        actions={
          <>
            <Link href={clientsHref(slug)} className={buttonClass("secondary")}>
              Clients
            </Link>
            <Link href={dcrTesterHref(slug)} className={buttonClass("secondary")}>
              DCR tester
            </Link>
            {canChange ? (
              <Link href={newHref} className={buttonClass("primary")}>
                Add a directory
              </Link>
            ) : null}
          </>
        }
      />
      {canChange && !hasSandbox ? (
        <div className="mb-6 flex flex-wrap items-start justify-between gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <p className="max-w-2xl text-sm text-slate-700">
            No access to the real directory yet? A sandbox directory run by Keyward issues test software statements for this tenant, so a TPP&apos;s
            onboarding can be tried end to end.
          </p>
          <CreateSandboxDirectory slug={slug} />
        </div>
      ) : null}
      {directories.length === 0 ? (
        <EmptyState title="This tenant trusts no directory yet">
          {canChange ? (
            <>
              <Link className="text-brand-700 underline" href={newHref}>
                Add a directory
              </Link>{" "}
              by its issuer (e.g. “OpenBanking Ltd”), environment and keys, or create the sandbox directory. Until then the registration endpoint
              refuses every software statement.
            </>
          ) : (
            "An operator can add one. Until then the registration endpoint refuses every software statement."
          )}
        </EmptyState>
      ) : (
        <Table caption={`Directories of tenant ${slug}`} head={["Name", "Issuer", "Environment", "Key source", "Health"]}>
          {directories.map((d) => (
            <tr key={d.id} data-testid="directory-row" data-directory-id={d.id}>
              <Td className="whitespace-normal">
                <Link className="font-medium text-brand-700 underline" href={directoryHref(slug, d.id)}>
                  {d.name}
                </Link>
                {d.kind === "sandbox" ? (
                  <span className="ml-2">
                    <Badge tone="blue">sandbox</Badge>
                  </span>
                ) : null}
              </Td>
              <Td className="whitespace-normal break-all font-mono text-xs">{d.issuer}</Td>
              <Td>
                <Badge tone={d.environment === "production" ? "amber" : "neutral"}>{d.environment}</Badge>
              </Td>
              <Td className="whitespace-normal">
                {keySourceLabel(d)}
                {d.jwksUri ? <span className="block max-w-72 break-all font-mono text-xs text-slate-600">{d.jwksUri}</span> : null}
                {d.jwks ? (
                  <span className="block text-xs text-slate-600">
                    {d.jwks.keys.length} {d.jwks.keys.length === 1 ? "key" : "keys"}
                  </span>
                ) : null}
              </Td>
              <Td className="whitespace-normal">
                {d.health ? <DirectoryHealth health={d.health} compact /> : <span className="text-xs text-slate-600">keys held here</span>}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
