import type { IdpKeySummary } from "@/lib/idps/idp-keys";
import { StackedTime } from "@/components/ui/stacked-time";
import { Table, Td } from "@/components/ui/page";

/** The keys of an IdP (found by Test or Refresh, or held inline): kid, kty, alg, certificate expiry. */
export function KeysFound({ keys, caption, testId = "idp-keys" }: { keys: IdpKeySummary[]; caption: string; testId?: string }) {
  if (keys.length === 0) return <p className="text-sm text-slate-600">No keys.</p>;
  return (
    <div data-testid={testId}>
      <Table caption={caption} head={["kid", "kty", "alg", "Certificate expiry"]}>
        {keys.map((k, i) => (
          <tr key={`${k.kid ?? ""}-${i}`} data-testid="idp-key-row">
            <Td className="font-mono text-xs whitespace-normal break-all">{k.kid ?? <span className="text-slate-600">(none)</span>}</Td>
            <Td>{k.kty}</Td>
            <Td>{k.alg ?? <span className="text-slate-600">any allowed</span>}</Td>
            <Td>
              <StackedTime value={k.certificateExpiry} empty="no certificate" />
            </Td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
