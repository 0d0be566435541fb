/** Medians and ranges of repeated runs, and how they are printed. */

/** { median, min, max, runs } of a list of numbers (nulls dropped). */
export function summarize(values) {
  const runs = values.filter((v) => typeof v === "number" && Number.isFinite(v));
  if (runs.length === 0) return { median: null, min: null, max: null, runs: [] };
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1), runs };
}

/** Per-run ratios a[i] / b[i]: the harness compares numbers measured side by side, never across runs. */
export function ratios(a, b) {
  return a.map((x, i) => (typeof x === "number" && typeof b[i] === "number" && b[i] > 0 ? x / b[i] : null));
}

const round = (v, digits) => {
  if (v === null || v === undefined) return "–";
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en-US");
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(digits > 1 ? 1 : digits);
  return v.toFixed(digits);
};

/** "1,234 (1,100–1,300)": the median, then min–max. */
export function fmt(summary, unit = "", digits = 2) {
  if (!summary || summary.median === null) return "–";
  const u = unit ? ` ${unit}` : "";
  if (summary.runs.length <= 1 || summary.min === summary.max) return `${round(summary.median, digits)}${u}`;
  return `${round(summary.median, digits)}${u} (${round(summary.min, digits)}–${round(summary.max, digits)})`;
}

/** Ratios with three significant digits, so that one shown as 0.80× is not a 0.797× that missed a 0.8× target. */
export function fmtRatio(summary) {
  if (!summary || summary.median === null) return "–";
  const r = (v) => `${v >= 100 ? Math.round(v) : v.toPrecision(3)}×`;
  if (summary.runs.length <= 1 || summary.min === summary.max) return r(summary.median);
  return `${r(summary.median)} (${r(summary.min)}–${r(summary.max)})`;
}
