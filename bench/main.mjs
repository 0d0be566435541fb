/**
 * `npm run bench`: builds Keyward if needed, starts it on loopback with
 * throwaway databases, seeds what each benchmark needs, runs the benchmarks
 * one after another (each bounded in time and requests), prints a table,
 * writes bench/results.json and exits non-zero when a target is missed.
 * See the README (Performance).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseOptions, selected, usage } from "./lib/options.mjs";
import { ensureBuilt, metric } from "./lib/keyward.mjs";
import { extraStarts, setUpEmpty, setUpMain, TENANT } from "./lib/setup.mjs";
import { startChild } from "./lib/child.mjs";
import { summarize } from "./lib/stats.mjs";
import { machine, textTable, updateReadmeSection } from "./lib/report.mjs";
import { formatProfile, summarizeProfile } from "./lib/profile.mjs";
import { certsBenchmarks } from "./benchmarks/certs.mjs";
import { tokenBenchmarks } from "./benchmarks/token.mjs";
import { stormBenchmarks } from "./benchmarks/storm.mjs";
import { rolloverBenchmark } from "./benchmarks/rollover.mjs";
import { listsBenchmark } from "./benchmarks/lists.mjs";
import { memoryLoads } from "./benchmarks/memory-loads.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MB = 2 ** 20;
const RSS_LIMIT_MB = 300;
const FLAT_GROWTH = 0.1;
const START_LIMIT_S = 5;

function log(message) {
  const t = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[bench ${t}] ${message}\n`);
}

async function startOidcProvider(ctx) {
  const { main } = ctx;
  const oidc = startChild("servers/oidc-provider.mjs", { logDir: ctx.tmp, name: "oidc-provider" });
  ctx.closers.push(() => oidc.stop());
  const clientId = "bench-oidc-client";
  const clientSecret = "bench-oidc-client-secret-0123456789";
  const privateJwks = main.keys.map((k) => ({ ...k.privateJwk, kid: k.kid, x5c: k.publishedJwk.x5c }));
  const { port } = await oidc.ask({ type: "start", privateJwks, clientId, clientSecret, audience: main.issuer }, "listening");
  return { url: `http://127.0.0.1:${port}`, clientId, clientSecret };
}

/** RSS idle and after each load, ≤ 300 MB; then one more run of every load: flat if RSS grows ≤ 10 %. */
async function memoryBenchmark(ctx) {
  // Alone (no load benchmark selected), it runs loads of its own.
  if (ctx.repeats.length === 0) await memoryLoads(ctx);
  const idle = ctx.memory.filter((m) => m.phase === "setup");
  const first = ctx.memory.filter((m) => m.phase === "first pass");
  const endOfFirst = ctx.main.server.memory().rss / MB;
  ctx.phase = "repeat";
  ctx.log(`memory: repeating ${ctx.repeats.length} loads once (${ctx.repeats.map((r) => r.name).join(", ")})`);
  for (const r of ctx.repeats) {
    await r.run();
    ctx.sampleMemory(`repeat ${r.name}`);
  }
  const repeat = ctx.memory.filter((m) => m.phase === "repeat");
  const endOfRepeat = ctx.main.server.memory().rss / MB;
  const fromMetric = await metric(ctx.main.server.url, "keyward_process_resident_memory_bytes");
  const all = summarize([...idle, ...first, ...repeat].map((m) => m.rssMB));
  const growth = endOfRepeat / endOfFirst;
  return [
    {
      id: "memory",
      name: "server RSS after each load (/proc/<pid>/status VmRSS)",
      unit: "MB",
      keyward: summarize(first.map((m) => m.rssMB)),
      compared: [
        { name: "after a repeat of every load", value: summarize(repeat.map((m) => m.rssMB)), ratio: summarize([growth]) },
      ],
      targets: [
        { text: `≤ ${RSS_LIMIT_MB} MB idle and after every load (idle ${idle.map((m) => m.rssMB.toFixed(0)).join(", ")} MB, max ${all.max?.toFixed(0)} MB)`, pass: all.max !== null && all.max <= RSS_LIMIT_MB },
        { text: `flat across the repeat (end RSS ≤ +${FLAT_GROWTH * 100} %)`, pass: growth <= 1 + FLAT_GROWTH },
      ],
      details: {
        samples: ctx.memory,
        endOfFirstPassMB: endOfFirst,
        endOfRepeatMB: endOfRepeat,
        peakVmHwmMB: ctx.main.server.memory().hwm / MB,
        metricResidentMB: fromMetric === null ? null : fromMetric / MB,
      },
    },
  ];
}

function startResults(ctx) {
  const s = (list) => summarize(list.map((ms) => ms / 1000));
  const fresh = s(ctx.starts.fresh);
  const restart = s(ctx.starts.restart);
  return [
    {
      id: "start",
      name: "start, built tree, until /api/v1/health is 200: new database (migrations, bootstrap)",
      unit: "s",
      keyward: fresh,
      compared: [],
      targets: [{ text: `≤ ${START_LIMIT_S} s`, pass: fresh.median !== null && fresh.median <= START_LIMIT_S }],
      details: { runsMs: ctx.starts.fresh.map(Math.round) },
    },
    {
      id: "start-restart",
      name: "same, existing database (one of them the large one)",
      unit: "s",
      keyward: restart,
      compared: [],
      targets: [{ text: `≤ ${START_LIMIT_S} s`, pass: restart.median !== null && restart.median <= START_LIMIT_S }],
      details: { runsMs: ctx.starts.restart.map(Math.round) },
    },
  ];
}

export async function main(argv) {
  let opts;
  try {
    opts = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${usage()}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const loadStart = os.loadavg();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-bench-"));
  const profileDir = path.join(root, "bench/.tmp/profiles");
  const ctx = {
    opts,
    root,
    tmp,
    log,
    profileDir,
    closers: [],
    repeats: [],
    starts: { fresh: [], restart: [] },
    memory: [],
    phase: "setup",
    selected: (id) => selected(opts, id),
  };
  ctx.sampleMemory = (label) => {
    if (!ctx.main || ctx.main.server.exited) return;
    const m = ctx.main.server.memory();
    ctx.memory.push({ label, phase: ctx.phase, rssMB: Math.round((m.rss / MB) * 10) / 10, hwmMB: Math.round((m.hwm / MB) * 10) / 10 });
  };
  const cleanup = async () => {
    for (const close of ctx.closers.splice(0).reverse()) await Promise.resolve().then(close).catch(() => undefined);
  };
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log("interrupted: stopping the servers");
    void cleanup().finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const results = [];
  let failure = null;
  try {
    log(`temp dir ${tmp}; ${opts.runs} runs per figure`);
    if (opts.build) {
      log("building if the sources changed (node scripts/start.mjs --build-only)");
      await ensureBuilt(root, (s) => process.stderr.write(s));
    }
    if (opts.cpuProf) fs.mkdirSync(profileDir, { recursive: true });
    const lists = ctx.selected("lists");
    if (ctx.selected("start")) await extraStarts(ctx, 1);
    ctx.main = await setUpMain(ctx, { bigLists: lists });
    if (lists) ctx.empty = await setUpEmpty(ctx);
    ctx.sampleMemory("idle after start");
    ctx.phase = "first pass";
    if (["certs", "certs-304", "client-credentials"].some(ctx.selected)) ctx.oidc = await startOidcProvider(ctx);
    if (ctx.selected("certs") || ctx.selected("certs-304")) results.push(...(await certsBenchmarks(ctx)));
    if (ctx.selected("client-credentials") || ctx.selected("jwt-bearer")) results.push(...(await tokenBenchmarks(ctx)));
    if (ctx.selected("storm")) results.push(...(await stormBenchmarks(ctx)));
    if (ctx.selected("rollover")) results.push(...(await rolloverBenchmark(ctx)));
    if (lists) results.push(...(await listsBenchmark(ctx)));
    if (ctx.selected("memory")) results.push(...(await memoryBenchmark(ctx)));
    if (ctx.selected("start")) results.push(...startResults(ctx));
  } catch (error) {
    failure = error;
  } finally {
    await cleanup();
  }

  let profile = null;
  const profilePath = opts.cpuProf ? ctx.main?.server.mainProfile() : null;
  if (profilePath) {
    profile = summarizeProfile(profilePath);
    process.stdout.write(`\n${formatProfile(profile)}\n`);
  }

  const meta = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationSeconds: Math.round((performance.now() - t0) / 1000),
    machine: machine(),
    loadAverage: { start: loadStart, end: os.loadavg() },
    options: { ...opts },
    tenant: TENANT,
    error: failure ? String(failure.stack ?? failure) : null,
  };
  const missed = results.flatMap((r) => r.targets.filter((t) => t.pass === false).map((t) => `${r.id}: ${t.text}`));
  const full = !opts.only && !failure;
  const resultsPath = opts.results ? path.resolve(opts.results) : path.join(root, full ? "bench/results.json" : "bench/.tmp/results-partial.json");
  fs.mkdirSync(path.dirname(resultsPath), { recursive: true });
  fs.writeFileSync(resultsPath, `${JSON.stringify({ meta, results, missed, profile }, null, 2)}\n`);
  if (results.length > 0) {
    process.stdout.write(`\n${textTable(results)}\n\n`);
    if (full && updateReadmeSection(path.join(root, "README.md"), results, meta)) log("updated the table in README.md");
  }
  log(`wrote ${path.relative(root, resultsPath)} (${meta.durationSeconds} s)`);
  if (opts.keep) log(`kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
  if (failure) {
    process.stderr.write(`\nthe benchmark failed: ${failure.stack ?? failure}\n`);
    return 1;
  }
  if (missed.length > 0) {
    process.stderr.write(`\ntargets missed:\n${missed.map((m) => `  - ${m}`).join("\n")}\n`);
    return 1;
  }
  log("every target met");
  return 0;
}

