/**
 * The load test's results: JSON with every figure and memory sample, and a
 * Markdown table the README includes (between its load markers). A long run
 * (KEYWARD_LONG_TESTS=1) writes the committed files and refreshes the README;
 * a smoke run writes under bench/.tmp/ only.
 */
import fs from "node:fs";
import path from "node:path";
import type { Machine } from "../../bench/lib/report.mjs";

export interface StreamResult {
  name: string;
  connections: number;
  requests: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Answers other than the stream's expected status. */
  unexpected: number;
  latencyMs: { p50: number; p99: number; max: number };
  requestsPerSecond: number;
}

export interface LoadResults {
  startedAt: string;
  finishedAt: string;
  mode: "long" | "smoke";
  warmUpSeconds: number;
  durationSeconds: number;
  machine: Machine;
  loadAverage: number[];
  streams: StreamResult[];
  warmUp: { name: string; requests: number; errors: number; unexpected: number }[];
  totals: { requests: number; errors: number; unexpected: number };
  tokensVerified: number;
  memory: {
    source: string;
    startMB: number;
    endMB: number;
    maxMB: number;
    firstThirdMedianMB: number;
    lastThirdMedianMB: number;
    growthPercent: number;
    tolerancePercent: number;
    limitMB: number;
    /** The smallest leak per request the flatness check catches at this run's request count. */
    leakPerRequestBoundBytes: number;
    samples: { t: number; rssMB: number }[];
  };
}

export const LOAD_RESULTS_JSON = { long: "bench/load-results.json", smoke: "bench/.tmp/load-results-smoke.json" } as const;
export const LOAD_RESULTS_MD = { long: "bench/load-results.md", smoke: "bench/.tmp/load-results-smoke.md" } as const;
const START = "<!-- load:results:start -->";
const END = "<!-- load:results:end -->";

export function markdown(r: LoadResults): string {
  const m = r.machine;
  const codes = (s: StreamResult) =>
    Object.entries(s.statusCodes)
      .map(([code, n]) => `${n} × ${code}`)
      .join(", ");
  return [
    `Run ${r.finishedAt.slice(0, 16).replace("T", " ")} UTC (${r.mode}): ${r.durationSeconds} s measured after ${r.warmUpSeconds} s of warm-up, all streams at once; ` +
      `Node ${m.node}, ${m.cpus} × ${m.cpuModel} (the load generator shares them), load average ${r.loadAverage.join(" / ")} at the end.`,
    "",
    "| stream | connections | requests | req/s | answers | errors | p50 ms | p99 ms |",
    "|---|---|---|---|---|---|---|---|",
    ...r.streams.map((s) => `| ${s.name} | ${s.connections} | ${s.requests} | ${s.requestsPerSecond} | ${codes(s)} | ${s.errors + s.timeouts + s.unexpected} | ${s.latencyMs.p50} | ${s.latencyMs.p99} |`),
    `| **all** | ${r.streams.reduce((n, s) => n + s.connections, 0)} | ${r.totals.requests} | ${Math.round(r.totals.requests / r.durationSeconds)} | | ${r.totals.errors + r.totals.unexpected} | | |`,
    "",
    `Access tokens verified against the published JWKS: ${r.tokensVerified} (one answer in ten of each grant, at most 400 each). ` +
      `Server RSS: ${r.memory.startMB} MB at the start, ${r.memory.endMB} MB at the end, ${r.memory.maxMB} MB peak (VmHWM; limit ${r.memory.limitMB} MB); ` +
      `median of the last third ${r.memory.lastThirdMedianMB} MB against ${r.memory.firstThirdMedianMB} MB in the first: ${r.memory.growthPercent >= 0 ? "+" : ""}${r.memory.growthPercent} % (tolerance ${r.memory.tolerancePercent} %, ` +
      `which a leak of ${r.memory.leakPerRequestBoundBytes} bytes per request would exceed).`,
  ].join("\n");
}

/** Writes the JSON and the Markdown table (and, for a long run, the README section); answers the paths written. */
export function writeLoadResults(root: string, results: LoadResults, { committed }: { committed: boolean }): string[] {
  const which = committed ? "long" : "smoke";
  const json = path.join(root, LOAD_RESULTS_JSON[which]);
  const md = path.join(root, LOAD_RESULTS_MD[which]);
  fs.mkdirSync(path.dirname(json), { recursive: true });
  fs.writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  const table = markdown(results);
  fs.writeFileSync(md, `${table}\n`);
  const written: string[] = [LOAD_RESULTS_JSON[which], LOAD_RESULTS_MD[which]];
  const readme = path.join(root, "README.md");
  if (committed && fs.existsSync(readme)) {
    const text = fs.readFileSync(readme, "utf8");
    const a = text.indexOf(START);
    const b = text.indexOf(END);
    if (a >= 0 && b > a) {
      fs.writeFileSync(readme, `${text.slice(0, a)}${START}\n${table}\n${text.slice(b)}`);
      written.push("README.md");
    }
  }
  return written;
}
