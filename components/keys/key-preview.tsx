import type { KeyPreview } from "@/lib/keys/schemas";
import { CertificateDetails, DetailRow } from "@/components/keys/certificate-details";
import { kidStrategyLabel } from "@/components/keys/key-labels";
import { WarningsList } from "@/components/keys/warnings-list";

function keyDescription(key: KeyPreview["key"]): string {
  const parts = [key.kty];
  if (key.bits) parts.push(`${key.bits} bits`);
  if (key.crv) parts.push(key.crv);
  return parts.join(", ");
}

/** What adding the key would store, before it is stored. */
export function KeyPreviewView({ preview, headingId }: { preview: KeyPreview; headingId: string }) {
  return (
    <div className="space-y-4" data-testid="key-preview">
      <h3 id={headingId} tabIndex={-1} className="text-base font-semibold text-slate-900 focus:outline-none">
        Preview: this is what will be stored
      </h3>
      <WarningsList warnings={preview.warnings} />
      <dl className="space-y-2 text-sm">
        <DetailRow label="kid" testId="preview-kid">
          <span className="break-all font-mono text-xs">{preview.kid}</span>
        </DetailRow>
        <DetailRow label="Algorithm" testId="preview-alg">
          {preview.alg}
        </DetailRow>
        <DetailRow label="kid strategy">{kidStrategyLabel(preview.kidStrategy)}</DetailRow>
        <DetailRow label="Key" testId="preview-key">
          {keyDescription(preview.key)}
        </DetailRow>
        <DetailRow label="Certificate chain">
          {preview.certificate === null ? "no certificate" : preview.chainComplete === false ? "incomplete: the chain does not reach a root" : preview.chainComplete ? "complete" : "—"}
        </DetailRow>
      </dl>
      {preview.certificate ? (
        <div>
          <h4 className="mb-2 text-sm font-semibold text-slate-900">Certificate</h4>
          <CertificateDetails certificate={preview.certificate} testIdPrefix="preview" />
        </div>
      ) : null}
      <div>
        <h4 className="mb-2 text-sm font-semibold text-slate-900">Public JWK (as published)</h4>
        <pre tabIndex={0} role="region" aria-label="Public JWK" className="max-h-72 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs text-slate-900" data-testid="preview-jwk">
          {JSON.stringify(preview.publicJwk, null, 2)}
        </pre>
      </div>
    </div>
  );
}
