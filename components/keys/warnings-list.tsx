/** Warnings of the crypto layer (a short chain, an expiring certificate …) in an amber box. */
export function WarningsList({ warnings, id }: { warnings: string[]; id?: string }) {
  if (warnings.length === 0) return null;
  return (
    <div id={id} className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3" data-testid="warnings">
      <p className="text-sm font-semibold text-amber-950">{warnings.length === 1 ? "Warning" : `${warnings.length} warnings`}</p>
      <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-amber-950">
        {warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </div>
  );
}
