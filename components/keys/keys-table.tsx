import Link from "next/link";
import type { SigningKeyView } from "@/lib/keys/schemas";
import { Table, Td } from "@/components/ui/page";
import { ExpiryBadge } from "@/components/keys/expiry-badge";
import { ActivateKeyForm } from "@/components/keys/activate-key-form";
import { earlyActivation } from "@/components/rotation/early-activation";
import { keyHref, sourceLabel } from "@/components/keys/key-labels";

/** What activating `kid` does, naming the key of the same scope that it retires. */
export function activateDescription(activeKid: string | undefined): string {
  return activeKid
    ? `It becomes the signing key; ${activeKid} is retired and stays published.`
    : "It becomes the signing key of its scope; no key signs there now.";
}

/**
 * One state's keys. `activeByScope` maps an app id ("" for the tenant) to the
 * kid that signs there now; with `canChange`, staged and retired keys get an
 * Activate button (which offers forcing while a staged key propagates).
 */
export function KeysTable({
  slug,
  caption,
  keys,
  canChange,
  activeByScope,
  now,
  effectivePropagationSeconds,
}: {
  slug: string;
  caption: string;
  keys: SigningKeyView[];
  canChange: boolean;
  activeByScope: Record<string, string>;
  now: number;
  /** The tenant policy's wait before a staged key may sign. */
  effectivePropagationSeconds: number;
}) {
  const head = ["kid", "Alg", "Certificate", "Expiry", "Source", "App", ...(canChange ? ["Actions"] : [])];
  return (
    <Table caption={caption} head={head}>
      {keys.map((k) => (
        <tr key={k.kid} data-testid="key-row" data-kid={k.kid} data-state={k.state}>
          <Td>
            <Link href={keyHref(slug, k.kid)} className="inline-block max-w-72 break-all whitespace-normal font-mono text-xs font-medium text-brand-700 underline hover:text-brand-900">
              {k.kid}
            </Link>
          </Td>
          <Td>{k.alg}</Td>
          <Td className="whitespace-normal">
            {k.certificate ? (
              <span className="inline-block max-w-64 break-words font-mono text-xs">{k.certificate.subject}</span>
            ) : (
              <span className="text-slate-600">no certificate</span>
            )}
          </Td>
          <Td>
            <ExpiryBadge expiry={k.expiry} notAfter={k.certificate?.notAfter} notBefore={k.certificate?.notBefore} now={now} />
          </Td>
          <Td>{sourceLabel(k.source)}</Td>
          <Td>{k.appId ? <span className="font-mono text-xs">{k.appId}</span> : <span className="text-slate-600">tenant</span>}</Td>
          {canChange ? (
            <Td>
              {k.state === "staged" || k.state === "retired" ? (
                <ActivateKeyForm
                  compact
                  slug={slug}
                  kid={k.kid}
                  title={`Activate ${k.kid}?`}
                  description={activateDescription(activeByScope[k.appId ?? ""])}
                  early={earlyActivation(k, { effectivePropagationSeconds, scopeHasActive: (k.appId ?? "") in activeByScope, now })}
                />
              ) : (
                <span className="sr-only">none</span>
              )}
            </Td>
          ) : null}
        </tr>
      ))}
    </Table>
  );
}
