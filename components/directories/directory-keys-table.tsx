import type { IdpKeySummary } from "@/lib/idps/idp-keys";
import { Table, Td } from "@/components/ui/page";
import { StackedTime } from "@/components/ui/stacked-time";

/** A directory's signing keys: kid, kty, alg, certificate expiry. */
export function DirectoryKeysTable({ keys, caption, testId = "directory-keys" }: { keys: IdpKeySummary[]; caption: string; testId?: string }) {
  if (keys.length === 0) return <p className="text-sm text-slate-600">No keys.</p>;
  return (
    <div data-testid={testId}>
      <Table caption={caption} head={["kid", "kty", "alg", "Certificate expiry"]}>
        {keys.map((k, i) => (
          <tr key={`${k.kid ?? ""}-${i}`} data-testid="directory-key-row">
            <Td className="whitespace-normal">
              <span className="inline-block max-w-72 break-all font-mono text-xs">{k.kid ?? <span className="text-slate-600">(none)</span>}</span>
            </Td>
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
