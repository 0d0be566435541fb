import type { ReactNode } from "react";
import { Time } from "@/components/ui/page";

/** The certificate fields the console shows; the services' views all have at least these. */
export interface CertificateFields {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  sans?: string[];
  keyUsage?: string[];
  extendedKeyUsage?: string[];
  sha1Fingerprint: string;
  sha256Fingerprint: string;
  selfSigned?: boolean;
}

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="grid gap-1 sm:grid-cols-[10rem_1fr] sm:gap-3">
      <dt className="text-slate-600">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function List({ items }: { items: string[] | undefined }) {
  if (!items || items.length === 0) return <span className="text-slate-600">none</span>;
  return (
    <ul className="space-y-0.5">
      {items.map((item) => (
        <li key={item} className="font-mono text-xs">
          {item}
        </li>
      ))}
    </ul>
  );
}

/**
 * A certificate's details as a description list. `testIdPrefix` names the
 * fingerprints and subject for tests ("preview-sha1" …).
 */
export function CertificateDetails({ certificate, testIdPrefix = "cert", extra }: { certificate: CertificateFields; testIdPrefix?: string; extra?: ReactNode }) {
  return (
    <dl className="space-y-2 text-sm">
      <Row label="Subject" testId={`${testIdPrefix}-subject`}>
        <span className="font-mono text-xs">{certificate.subject}</span>
      </Row>
      <Row label="Issuer" testId={`${testIdPrefix}-issuer`}>
        <span className="font-mono text-xs">{certificate.issuer}</span>
        {certificate.selfSigned ? <span className="ml-2 text-xs text-slate-600">(self-signed)</span> : null}
      </Row>
      <Row label="Serial number">
        <span className="break-all font-mono text-xs">{certificate.serialNumber}</span>
      </Row>
      <Row label="Valid from">
        <Time value={certificate.notBefore} />
      </Row>
      <Row label="Valid until">
        <Time value={certificate.notAfter} />
      </Row>
      <Row label="Subject alt. names">
        <List items={certificate.sans} />
      </Row>
      <Row label="Key usage">
        <List items={certificate.keyUsage} />
      </Row>
      {certificate.extendedKeyUsage !== undefined ? (
        <Row label="Extended key usage">
          <List items={certificate.extendedKeyUsage} />
        </Row>
      ) : null}
      <Row label="SHA-1 fingerprint" testId={`${testIdPrefix}-sha1`}>
        <span className="break-all font-mono text-xs">{certificate.sha1Fingerprint}</span>
      </Row>
      <Row label="SHA-256 fingerprint" testId={`${testIdPrefix}-sha256`}>
        <span className="break-all font-mono text-xs">{certificate.sha256Fingerprint}</span>
      </Row>
      {extra}
    </dl>
  );
}

export { Row as DetailRow };
