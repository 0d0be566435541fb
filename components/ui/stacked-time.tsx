/**
 * A time in UTC on two short lines (date, then hour), for tables with many
 * columns; the full timestamp shows on hover. `null` reads as "never".
 */
export function StackedTime({ value, empty = "never" }: { value: string | null | undefined; empty?: string }) {
  if (!value) return <span className="text-slate-600">{empty}</span>;
  const iso = new Date(value).toISOString();
  return (
    <time dateTime={value} title={value} className="block leading-tight">
      <span className="block">{iso.slice(0, 10)}</span>
      <span className="block text-xs text-slate-600">{iso.slice(11, 16)} UTC</span>
    </time>
  );
}
