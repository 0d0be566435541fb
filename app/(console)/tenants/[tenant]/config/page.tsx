import { createHash } from "node:crypto";
import type { Metadata } from "next";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { unlessNotFound } from "@/lib/errors";
import { exportTenantConfig } from "@/lib/tenants/config-export";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/page";
import { CopyArea } from "@/components/keys/copy-area";
import { ConfigImportForm } from "@/components/config/config-import-form";
import { decodeParam } from "../keys/params";

interface Props {
  params: Promise<{ tenant: string }>;
}

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Configuration of ${decodeParam((await params).tenant)}` };
}

export default async function ConfigPage({ params }: Props) {
  const actor = await requirePageActor();
  const slug = decodeParam((await params).tenant);
  const config = await unlessNotFound(() => exportTenantConfig(actor, slug));
  if (!config) notFound();

  const text = JSON.stringify(config, null, 2);
  // What the configuration is, apart from when it was read: the import form
  // starts again from the new export once an import changed it, not on every render.
  const { exportedAt: _exportedAt, ...content } = config;
  const version = createHash("sha256").update(JSON.stringify(content)).digest("base64url");
  const canImport = hasRole(actor.role, "operator");
  const base = `/tenants/${encodeURIComponent(slug)}`;

  return (
    <>
      <Breadcrumb href={base}>Tenant {slug}</Breadcrumb>
      <PageHeader
        title="Configuration"
        description={
          <>
            The whole configuration of tenant <span className="font-mono">{slug}</span>, public parts only: its settings, its signing keys by kid
            and public JWK, and which key signs. Export it, edit it, and import it back.
          </>
        }
        actions={
          <a href={`/api/v1/tenants/${encodeURIComponent(slug)}/config`} download={`${slug}-config.json`} className={buttonClass("secondary")}>
            Download JSON
          </a>
        }
      />
      <div className="space-y-6">
        <Card title="Current configuration">
          <CopyArea id="config-export" label="Exported configuration (JSON)" value={text} rows={16} note="Never holds private keys: those are write-only." />
        </Card>
        {canImport ? (
          <Card title="Import">
            <div className="mb-4 space-y-2 text-sm text-slate-700">
              <p data-testid="config-import-rules">
                Keys left out of an import are not removed, and a new key is given as a private JWK in{" "}
                <code className="font-mono text-xs">signingKeys[].jwk</code>, which is write-only and never exported.
              </p>
              <p>
                To switch the signing key, set <code className="font-mono text-xs">signing.activeKid</code> to the kid of a key of the tenant or of
                the import; the key it replaces is retired.
                {hasRole(actor.role, "admin") ? null : " Changing the tenant's settings (name, profile, JWKS max-age) needs the admin role."}
              </p>
            </div>
            <ConfigImportForm key={version} slug={slug} initialText={text} />
          </Card>
        ) : (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-3 text-sm text-slate-600" data-testid="config-import-viewer">
            An operator or an admin can import a configuration.
          </p>
        )}
      </div>
    </>
  );
}
