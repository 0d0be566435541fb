/**
 * The results: a table (terminal and Markdown), bench/results.json, and the
 * table in the README (Performance) (between its markers) after a full run.
 */
import fs from "node:fs";
import os from "node:os";
import { fmt, fmtRatio } from "./stats.mjs";

const HEAD = ["benchmark", "Keyward", "compared with", "value", "Keyward ÷ it", "target", "met"];

const digitsFor = (unit) => (unit === "s" ? 2 : unit === "ms" ? 1 : 0);

/** One row per comparison (the benchmark's name and figure on its first). */
export function tableRows(results) {
  const rows = [];
  for (const r of results) {
    const lines = Math.max(r.compared.length, r.targets.length, 1);
    for (let i = 0; i < lines; i++) {
      const c = r.compared[i];
      const t = r.targets[i];
      rows.push([
        i === 0 ? r.name : "",
        i === 0 ? fmt(r.keyward, r.unit, digitsFor(r.unit)) : "",
        c?.name ?? "",
        c ? fmt(c.value, r.unit, digitsFor(r.unit)) : "",
        c?.ratio ? fmtRatio(c.ratio) : "",
        t?.text ?? "",
        t ? (t.pass === null ? "report" : t.pass ? "yes" : "NO") : "",
      ]);
    }
  }
  return rows;
}

export function textTable(results) {
  const rows = [HEAD, ...tableRows(results)];
  const widths = HEAD.map((_, i) => Math.min(70, Math.max(...rows.map((r) => r[i].length))));
  const cut = (s, w) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  return rows.map((r, j) => r.map((cell, i) => cut(cell, widths[i])).join("  ") + (j === 0 ? `\n${widths.map((w) => "-".repeat(w)).join("  ")}` : "")).join("\n");
}

export function markdownTable(results) {
  const esc = (s) => s.replace(/\|/g, "\\|");
  const rows = tableRows(results);
  return [`| ${HEAD.join(" | ")} |`, `|${HEAD.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`)].join("\n");
}

export function machine() {
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

/** Replaces the table between the markers of the README section, with the run's date and machine. */
export function updateReadmeSection(file, results, meta) {
  if (!fs.existsSync(file)) return false;
  const text = fs.readFileSync(file, "utf8");
  const start = "<!-- bench:results:start -->";
  const end = "<!-- bench:results:end -->";
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return false;
  const m = meta.machine;
  const block = [
    start,
    `Last run: ${meta.finishedAt.slice(0, 16).replace("T", " ")} UTC, ${meta.durationSeconds} s; Node ${m.node}, ${m.cpus} × ${m.cpuModel}, ` +
      `load average ${meta.loadAverage.start.map((v) => v.toFixed(1)).join(" / ")} at the start (other work shared the machine). ` +
      `Each figure: the median of ${meta.options.loadRuns} runs of ${meta.options.duration} s (certs and token loads) or of ${meta.options.runs} runs (the others), min–max in brackets; ratios are taken per run, side by side.`,
    "",
    markdownTable(results),
    "",
    end,
  ].join("\n");
  fs.writeFileSync(file, text.slice(0, a) + block + text.slice(b + end.length));
  return true;
}
