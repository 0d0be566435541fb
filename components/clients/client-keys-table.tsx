import type { ClientKeyView } from "@/lib/clients/schemas";
import { Table, Td } from "@/components/ui/page";
import { StackedTime } from "@/components/ui/stacked-time";
import { ExpiryBadge } from "@/components/keys/expiry-badge";
import { RemoveClientKeyForm } from "@/components/clients/remove-client-key-form";

function keyType(k: ClientKeyView): string {
  const size = k.bits ? ` ${k.bits}` : k.crv ? ` ${k.crv}` : "";
  return `${k.kty}${size}`;
}

/**
 * A client's keys as the console describes them: kid, type and size or curve,
 * x5t, and the certificate's subject and expiry. With `canRemove`, each key
 * with a kid gets a Remove button.
 */
export function ClientKeysTable({
  slug,
  clientId,
  keys,
  canRemove,
  now,
}: {
  slug: string;
  clientId: string;
  keys: ClientKeyView[];
  canRemove: boolean;
  now: number;
}) {
  if (keys.length === 0) return <p className="text-sm text-slate-600">This client has no keys.</p>;
  return (
    <Table caption="Keys of this client" head={["kid", "Type", "x5t", "Certificate", ...(canRemove ? ["Actions"] : [])]}>
      {keys.map((k, i) => (
        <tr key={k.kid ?? `key-${i}`} data-testid="client-key-row" data-kid={k.kid ?? ""}>
          <Td className="whitespace-normal">
            <span className="inline-block max-w-56 break-all font-mono text-xs">{k.kid ?? <span className="text-slate-600">(none)</span>}</span>
          </Td>
          <Td>
            {keyType(k)}
            {k.alg ? <span className="block text-xs text-slate-600">{k.alg}</span> : null}
          </Td>
          <Td className="whitespace-normal">
            {k.x5t ? (
              <span className="inline-block max-w-72 break-all font-mono text-xs" data-testid="client-key-x5t">
                {k.x5t}
              </span>
            ) : (
              <span className="text-slate-600">—</span>
            )}
          </Td>
          <Td className="whitespace-normal">
            {k.certificateSubject ? (
              <div className="space-y-1">
                <span className="block max-w-64 break-words font-mono text-xs" data-testid="client-key-subject">
                  {k.certificateSubject}
                </span>
                <StackedTime value={k.certificateNotAfter} />
                <span data-testid="client-key-expiry">
                  <ExpiryBadge expiry={k.expiry} notAfter={k.certificateNotAfter} now={now} />
                </span>
              </div>
            ) : (
              <span className="text-slate-600">no certificate</span>
            )}
          </Td>
          {canRemove ? (
            <Td>{k.kid ? <RemoveClientKeyForm slug={slug} clientId={clientId} kid={k.kid} /> : null}</Td>
          ) : null}
        </tr>
      ))}
    </Table>
  );
}
