/**
 * What `npm run bench` can be told, as flags (`npm run bench -- --runs=5`)
 * or environment variables (BENCH_RUNS=5). Defaults keep a full run under
 * ~10 minutes on a 2-core machine.
 */
export const BENCHMARKS = ["start", "certs", "certs-304", "client-credentials", "jwt-bearer", "storm", "rollover", "lists", "memory"];

const SPEC = {
  runs: { env: "BENCH_RUNS", default: 3, min: 3, help: "runs per figure of the storm, rollover, lists and start (the median is reported, min and max beside it)" },
  loadRuns: { env: "BENCH_LOAD_RUNS", default: 5, min: 3, help: "runs per figure of the certs and token loads (short interleaved runs pair better on a busy machine)" },
  duration: { env: "BENCH_DURATION", default: 3, min: 1, help: "seconds of each certs or token load run" },
  connections: { env: "BENCH_CONNECTIONS", default: 50, min: 1, help: "connections of the certs and token loads" },
  stormSeconds: { env: "BENCH_STORM_SECONDS", default: 20, min: 5, help: "seconds of each unknown-kid storm (one healthy upstream, one answering 500), counted in `runs` windows; the issue's figure is 60" },
  stormConcurrency: { env: "BENCH_STORM_CONCURRENCY", default: 200, min: 1, help: "assertions in flight during the storm" },
  listSeconds: { env: "BENCH_LIST_SECONDS", default: 2, min: 1, help: "seconds of each console-list run (one request at a time, at least 3 requests)" },
  clients: { env: "BENCH_CLIENTS", default: 10_000, min: 0, help: "clients of the large tenant" },
  audit: { env: "BENCH_AUDIT", default: 100_000, min: 0, help: "audit events of the large database" },
};

export function parseOptions(argv, env = process.env) {
  const flags = new Map();
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument "${arg}" (see --help)`);
    flags.set(m[1], m[2] ?? "true");
  }
  const camel = (s) => s.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  const kebab = (s) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const opts = {};
  for (const [name, spec] of Object.entries(SPEC)) {
    const raw = flags.get(kebab(name)) ?? env[spec.env];
    const value = raw === undefined || raw === "" ? spec.default : Number(raw);
    if (!Number.isFinite(value) || value < spec.min) throw new Error(`--${kebab(name)} / ${spec.env} must be a number ≥ ${spec.min}; got "${raw}"`);
    opts[name] = value;
  }
  const only = flags.get("only") ?? env.BENCH_ONLY;
  opts.only = only ? only.split(",").map((s) => s.trim()).filter(Boolean) : null;
  for (const id of opts.only ?? []) if (!BENCHMARKS.includes(id)) throw new Error(`--only: unknown benchmark "${id}" (one of ${BENCHMARKS.join(", ")})`);
  opts.cpuProf = flags.has("cpu-prof") || env.BENCH_CPU_PROF === "1";
  opts.keep = flags.has("keep") || env.BENCH_KEEP === "1";
  opts.build = !flags.has("no-build");
  opts.help = flags.has("help");
  opts.results = flags.get("results") ?? env.BENCH_RESULTS ?? null;
  for (const key of flags.keys()) {
    if (!(camel(key) in SPEC) && !["only", "cpu-prof", "keep", "no-build", "help", "results"].includes(key)) throw new Error(`unknown flag --${key} (see --help)`);
  }
  return opts;
}

export function usage() {
  const lines = [
    "npm run bench [-- options]",
    "",
    ...Object.entries(SPEC).map(([name, s]) => `  --${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}=N`.padEnd(28) + `${s.env}; default ${s.default}: ${s.help}`),
    `  --only=a,b`.padEnd(28) + `BENCH_ONLY; some of: ${BENCHMARKS.join(", ")}`,
    `  --cpu-prof`.padEnd(28) + "BENCH_CPU_PROF=1; profile the server under test (node --cpu-prof) and print where its time went",
    `  --keep`.padEnd(28) + "BENCH_KEEP=1; keep the temp directory (databases, logs)",
    `  --no-build`.padEnd(28) + "use .next as it is",
    `  --results=path`.padEnd(28) + "BENCH_RESULTS; where to write the results (default bench/results.json; a partial run (--only) writes bench/.tmp/results-partial.json)",
  ];
  return lines.join("\n");
}

export function selected(opts, id) {
  return !opts.only || opts.only.includes(id);
}
