/**
 * Durations as people read them. Rotation policies go from seconds (drills)
 * to months (production), so every figure picks its own unit.
 */

export const UNITS = [
  { id: "d", seconds: 86_400, short: "d", singular: "day", plural: "days" },
  { id: "h", seconds: 3_600, short: "h", singular: "hour", plural: "hours" },
  { id: "min", seconds: 60, short: "min", singular: "minute", plural: "minutes" },
  { id: "s", seconds: 1, short: "s", singular: "second", plural: "seconds" },
] as const;

export type DurationUnit = (typeof UNITS)[number]["id"];

export function unitSeconds(unit: string): number | undefined {
  return UNITS.find((u) => u.id === unit)?.seconds;
}

/**
 * A duration in at most two units: "45 s", "5 min", "1 h 30 min", "90 days".
 * `long` spells the units out ("1 hour 30 minutes").
 */
export function formatDuration(totalSeconds: number, { long = false }: { long?: boolean } = {}): string {
  const seconds = Math.max(0, Math.round(Math.abs(totalSeconds)));
  if (seconds === 0) return long ? "0 seconds" : "0 s";
  const parts: string[] = [];
  let rest = seconds;
  for (const u of UNITS) {
    if (parts.length === 2) break;
    const n = Math.floor(rest / u.seconds);
    if (n === 0) {
      // "1 d 0 h 5 min" reads worse than "1 d": stop at the first gap once a unit is shown.
      if (parts.length > 0) break;
      continue;
    }
    rest -= n * u.seconds;
    parts.push(long ? `${n} ${n === 1 ? u.singular : u.plural}` : u.id === "d" ? `${n} ${n === 1 ? "day" : "days"}` : `${n} ${u.short}`);
  }
  return parts.join(" ");
}

/** "in 3 h 20 min", "5 min ago", "now" (within a second). */
export function formatRelative(atMs: number, nowMs: number): string {
  const diff = Math.round((atMs - nowMs) / 1000);
  if (diff === 0) return "now";
  return diff > 0 ? `in ${formatDuration(diff)}` : `${formatDuration(-diff)} ago`;
}

/**
 * The largest unit that expresses `seconds` as a whole number, for a
 * value-and-unit field: 86400 → 1 d, 90 → 90 s, 7200 → 2 h.
 */
export function splitDuration(seconds: number, allowed: readonly DurationUnit[] = ["d", "h", "min", "s"]): { value: number; unit: DurationUnit } {
  for (const u of UNITS) {
    if (!allowed.includes(u.id)) continue;
    if (seconds !== 0 && seconds % u.seconds === 0) return { value: seconds / u.seconds, unit: u.id };
  }
  const smallest = [...UNITS].reverse().find((u) => allowed.includes(u.id)) ?? UNITS[3];
  return { value: Math.round((seconds / smallest.seconds) * 1000) / 1000, unit: smallest.id };
}

/** A time in UTC as the console writes it: "2025-03-04 12:30 UTC", with seconds when they matter. */
export function formatUtc(iso: string | Date, { seconds = false }: { seconds?: boolean } = {}): string {
  const text = new Date(iso).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, seconds ? 19 : 16)} UTC`;
}
