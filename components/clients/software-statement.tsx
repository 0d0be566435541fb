import { ClaimsTable } from "@/components/clients/claims-table";
import { CopyArea } from "@/components/keys/copy-area";

/** A software statement as received (copyable) and its claims, decoded. */
export function SoftwareStatement({ id, jwt, claims }: { id: string; jwt: string; claims: Record<string, unknown> | null }) {
  return (
    <div className="space-y-4">
      <CopyArea id={id} label="Software statement (signed JWT)" value={jwt} wrap note="Public: the directory signed it for the TPP; it holds no secret." />
      <div>
        <h3 className="mb-2 text-sm font-semibold text-slate-900">Decoded claims</h3>
        {claims ? (
          <ClaimsTable claims={claims} caption="Claims of the software statement" testId={`${id}-claims`} />
        ) : (
          <p className="text-sm text-red-700">The software statement&apos;s claims are not readable JSON.</p>
        )}
      </div>
    </div>
  );
}
