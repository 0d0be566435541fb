#!/usr/bin/env node
// The whole `npm test`: install what is missing, then typecheck, lint, unit,
// integration (SQLite), integration (PostgreSQL), end-to-end tests and the
// multi-instance tests (two server processes on one PostgreSQL database) and
// the load test (the built server under sustained mixed load, flat memory).
//
// Plain Node ESM with builtins only (runs before `npm install`).
//
//   node scripts/test.mjs                      # everything
//   node scripts/test.mjs --only=unit,lint     # a subset
//   node scripts/test.mjs --skip=e2e           # everything but ...
//   KEYWARD_TEST_SKIP_E2E=1 node scripts/test.mjs
//   node scripts/test.mjs --no-setup           # skip step 0 (install/generate)
//   KEYWARD_LONG_TESTS=1 node scripts/test.mjs # the fuzzers' and the load test's long budget (CI sets it);
//                                              # the environment reaches every runner
//
// Runner names: typecheck, lint, unit, integration-sqlite, integration-postgres,
// e2e, multi-instance, load (groups: integration = both integration runners; aliases:
// pg, postgres, sqlite, playwright, tsc, eslint, mi, multi).
//
// Output ends with a per-runner table and exactly one final line
// `N passed, N failed[, N skipped]`. Exit 1 when anything failed or crashed.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { ensureChromium, ensureNodeModules, ensurePostgresBinaries, REPO_ROOT } from "./lib/ensure-deps.mjs";
import { startThrowawayPostgres, TEST_DATABASE } from "./lib/postgres.mjs";

const MINUTE = 60_000;
// The integration project includes the hostile-input corpus and its fuzzers.
const INTEGRATION_MINUTES = 15;
const KILL_GRACE_MS = 10_000;

const RUNNERS = ["typecheck", "lint", "unit", "integration-sqlite", "integration-postgres", "e2e", "multi-instance", "load"];
const ALIASES = {
  tsc: ["typecheck"],
  types: ["typecheck"],
  eslint: ["lint"],
  integration: ["integration-sqlite", "integration-postgres"],
  sqlite: ["integration-sqlite"],
  "integration-pg": ["integration-postgres"],
  pg: ["integration-postgres"],
  postgres: ["integration-postgres"],
  postgresql: ["integration-postgres"],
  "integration-postgresql": ["integration-postgres"],
  playwright: ["e2e"],
  mi: ["multi-instance"],
  multi: ["multi-instance"],
  "multi-instances": ["multi-instance"],
  soak: ["load"],
};

// ---------------------------------------------------------------- arguments

function usage(message) {
  if (message) process.stderr.write(`test.mjs: ${message}\n`);
  process.stderr.write(
    `usage: node scripts/test.mjs [--only=a,b] [--skip=a,b] [--no-setup]\n  runners: ${RUNNERS.join(", ")}\n  groups/aliases: ${Object.keys(ALIASES).join(", ")}\n`,
  );
  process.exit(2);
}

function expandNames(list, flag) {
  const out = new Set();
  for (const raw of list.split(",")) {
    const name = raw.trim().toLowerCase();
    if (!name) continue;
    if (RUNNERS.includes(name)) out.add(name);
    else if (ALIASES[name]) ALIASES[name].forEach((n) => out.add(n));
    else usage(`unknown runner "${name}" in ${flag}`);
  }
  return out;
}

function parseArgs(argv) {
  let only;
  const skip = new Set();
  let setup = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const take = (flag) => {
      if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
      if (arg === flag) {
        const next = argv[++i];
        if (next === undefined) usage(`${flag} needs a value`);
        return next;
      }
      return undefined;
    };
    let value;
    if ((value = take("--only")) !== undefined) {
      only ??= new Set();
      expandNames(value, "--only").forEach((n) => only.add(n));
    } else if ((value = take("--skip")) !== undefined) {
      expandNames(value, "--skip").forEach((n) => skip.add(n));
    } else if (arg === "--no-setup" || arg === "--no-install") {
      setup = false;
    } else if (arg === "--help" || arg === "-h") {
      usage();
    } else {
      usage(`unknown argument "${arg}"`);
    }
  }
  const envSkip = process.env.KEYWARD_TEST_SKIP_E2E;
  if (envSkip && envSkip !== "0" && envSkip.toLowerCase() !== "false") skip.add("e2e");
  const selected = RUNNERS.filter((n) => (only ? only.has(n) : true) && !skip.has(n));
  return { selected, setup };
}

// ---------------------------------------------------------------- processes

/** The child currently running (its process group is ours to kill). */
let current;
/** Cleanups to run on exit/signal (temp dirs, database clusters). */
const cleanups = new Set();

function killGroup(child, signal) {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function runCleanups() {
  for (const fn of [...cleanups].reverse()) {
    cleanups.delete(fn);
    try {
      fn();
    } catch (error) {
      process.stderr.write(`[test] cleanup failed: ${error.message}\n`);
    }
  }
}

function bin(name) {
  const local = path.join(REPO_ROOT, "node_modules", ".bin", name);
  return existsSync(local) ? { command: local, prefix: [] } : { command: "npx", prefix: ["--no", name] };
}

/**
 * Spawn a command in its own process group with inherited stdout/stderr and no
 * stdin; kill the whole group on timeout. Resolves { code, signal, timedOut, error }.
 */
function runProcess(name, args, { env = {}, timeoutMs }) {
  const { command, prefix } = bin(name);
  return new Promise((resolve) => {
    let timedOut = false;
    let settled = false;
    let child;
    try {
      child = spawn(command, [...prefix, ...args], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env },
        stdio: ["ignore", "inherit", "inherit"],
        detached: true,
      });
    } catch (error) {
      resolve({ code: null, signal: null, timedOut, error });
      return;
    }
    current = child;
    let hardKill;
    const timer = setTimeout(() => {
      timedOut = true;
      process.stderr.write(`\n[test] ${name}: timed out after ${Math.round(timeoutMs / 1000)} s, killing it\n`);
      killGroup(child, "SIGTERM");
      hardKill = setTimeout(() => killGroup(child, "SIGKILL"), KILL_GRACE_MS);
    }, timeoutMs);
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(hardKill);
      // Leftovers in the group (servers, workers) must not outlive the step.
      killGroup(child, "SIGKILL");
      if (current === child) current = undefined;
      resolve({ timedOut, ...result });
    };
    child.once("error", (error) => finish({ code: null, signal: null, error }));
    child.once("exit", (code, signal) => finish({ code, signal }));
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

function num(value) {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

// ---------------------------------------------------------------- counting

/** @typedef {{ passed: number, failed: number, skipped: number, note?: string }} Counts */

function crashed(note) {
  return { passed: 0, failed: 1, skipped: 0, note };
}

function describeExit(result) {
  if (result.error) return `could not start: ${result.error.message}`;
  if (result.timedOut) return "timed out";
  if (result.signal) return `killed by ${result.signal}`;
  return `exit code ${result.code}`;
}

/** tsc / eslint: one check, pass or fail. */
function countSingle(result) {
  if (result.code === 0 && !result.timedOut) return { passed: 1, failed: 0, skipped: 0 };
  return { passed: 0, failed: 1, skipped: 0, note: describeExit(result) };
}

/** Vitest JSON report: numPassedTests / numFailedTests / numPendingTests + numTodoTests. */
function countVitest(result, reportFile) {
  const report = readJson(reportFile);
  if (!report || typeof report !== "object") {
    if (result.code === 0 && !result.timedOut) return { passed: 0, failed: 0, skipped: 0, note: "no report (no tests?)" };
    return crashed(`no report, ${describeExit(result)}`);
  }
  const counts = {
    passed: num(report.numPassedTests),
    failed: num(report.numFailedTests),
    skipped: num(report.numPendingTests) + num(report.numTodoTests),
  };
  // A file that failed without a failing test (does not load, throws in a
  // hook, ...) counts as one failure of its own.
  const files = Array.isArray(report.testResults) ? report.testResults : [];
  const brokenFiles = files.filter(
    (f) =>
      f?.status === "failed" &&
      !(Array.isArray(f.assertionResults) && f.assertionResults.some((a) => a?.status === "failed")),
  ).length;
  counts.failed += brokenFiles;
  if (brokenFiles > 0) {
    counts.note = `${brokenFiles} file(s) failed to run`;
  }
  if (counts.failed === 0 && (num(report.numFailedTestSuites) > 0 || result.code !== 0 || result.timedOut)) {
    // e.g. an unhandled error, a global setup failure
    counts.failed = 1;
    counts.note = describeExit(result);
  } else if (!counts.note && (result.code !== 0 || result.timedOut)) {
    counts.note = describeExit(result);
  }
  return counts;
}

/** Playwright JSON report: stats.expected / unexpected / flaky / skipped (flaky counts as passed). */
function countPlaywright(result, reportFile) {
  const report = readJson(reportFile);
  const stats = report?.stats;
  if (!stats || typeof stats !== "object") {
    return crashed(`no report, ${describeExit(result)}`);
  }
  const counts = {
    passed: num(stats.expected) + num(stats.flaky),
    failed: num(stats.unexpected),
    skipped: num(stats.skipped),
  };
  const errors = Array.isArray(report.errors) ? report.errors.length : 0;
  if (counts.failed === 0 && (errors > 0 || result.code !== 0 || result.timedOut)) {
    // global setup / webServer failures are reported as errors, not tests
    counts.failed = 1;
    counts.note = errors > 0 ? `${errors} global error(s)` : describeExit(result);
  } else if (result.code !== 0 || result.timedOut) {
    counts.note = describeExit(result);
  }
  if (num(stats.flaky) > 0) counts.note = [counts.note, `${stats.flaky} flaky`].filter(Boolean).join("; ");
  return counts;
}

// ---------------------------------------------------------------- runners

function stepTimeout(defaultMinutes) {
  const override = Number(process.env.KEYWARD_TEST_STEP_TIMEOUT_MS);
  return Number.isFinite(override) && override > 0 ? override : defaultMinutes * MINUTE;
}

function makeTempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  cleanups.add(cleanup);
  return {
    dir,
    remove() {
      cleanups.delete(cleanup);
      cleanup();
    },
  };
}

const baseEnv = { NEXT_TELEMETRY_DISABLED: "1" };

async function vitestRunner(project, extraEnv, reportDir, timeoutMinutes = 10) {
  const reportFile = path.join(reportDir, `vitest-${project}-${Date.now()}.json`);
  const args = [
    "run",
    "--project",
    project,
    "--passWithNoTests",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${reportFile}`,
  ];
  const result = await runProcess("vitest", args, { env: { ...baseEnv, ...extraEnv }, timeoutMs: stepTimeout(timeoutMinutes) });
  return countVitest(result, reportFile);
}

/** @type {Record<string, { title: string, run: (ctx: { reportDir: string }) => Promise<Counts> }>} */
const STEPS = {
  typecheck: {
    title: "typecheck (tsc --noEmit)",
    run: async () => countSingle(await runProcess("tsc", ["--noEmit"], { env: baseEnv, timeoutMs: stepTimeout(10) })),
  },
  lint: {
    title: "lint (eslint .)",
    run: async () => countSingle(await runProcess("eslint", ["."], { env: baseEnv, timeoutMs: stepTimeout(10) })),
  },
  unit: {
    title: "unit tests (vitest --project unit)",
    run: ({ reportDir }) => vitestRunner("unit", {}, reportDir),
  },
  "integration-sqlite": {
    title: "integration tests on SQLite (vitest --project integration)",
    run: async ({ reportDir }) => {
      const tmp = makeTempDir("keyward-it-sqlite-");
      try {
        const env = { DATABASE_URL: `file:${path.join(tmp.dir, "it.db")}`, KEYWARD_TEST_DB: "sqlite" };
        process.stdout.write(`[test] DATABASE_URL=${env.DATABASE_URL} KEYWARD_TEST_DB=sqlite\n`);
        return await vitestRunner("integration", env, reportDir, INTEGRATION_MINUTES);
      } finally {
        tmp.remove();
      }
    },
  },
  "integration-postgres": {
    title: "integration tests on PostgreSQL (vitest --project integration)",
    run: async ({ reportDir }) => {
      let pg;
      try {
        const binDir = ensurePostgresBinaries();
        pg = await startThrowawayPostgres({ binDir });
      } catch (error) {
        process.stderr.write(`[test] could not start PostgreSQL: ${error.message}\n`);
        return crashed("PostgreSQL did not start");
      }
      const stop = () => pg.stopSync();
      cleanups.add(stop);
      try {
        const env = { DATABASE_URL: pg.url(TEST_DATABASE), KEYWARD_TEST_DB: "postgresql" };
        process.stdout.write(`[test] DATABASE_URL=${env.DATABASE_URL} KEYWARD_TEST_DB=postgresql\n`);
        return await vitestRunner("integration", env, reportDir, INTEGRATION_MINUTES);
      } finally {
        cleanups.delete(stop);
        await pg.stop();
      }
    },
  },
  e2e: {
    title: "end-to-end tests (playwright test)",
    run: async ({ reportDir }) => {
      let chromium;
      try {
        chromium = ensureChromium();
      } catch (error) {
        process.stderr.write(`[test] Chromium is not available: ${error.message}\n`);
        return crashed("Chromium missing");
      }
      const reportFile = path.join(reportDir, `playwright-${Date.now()}.json`);
      const env = { ...baseEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile, CHROMIUM_PATH: chromium };
      const result = await runProcess("playwright", ["test", "--reporter=list,json"], {
        env,
        timeoutMs: stepTimeout(20),
      });
      return countPlaywright(result, reportFile);
    },
  },
  "multi-instance": {
    title: "multi-instance tests: two servers on one PostgreSQL (vitest --project multi-instance)",
    // The project's global setup builds the app when stale (`scripts/start.mjs
    // --build-only`, as `npm run build`; the e2e server builds through
    // start.mjs too); the servers migrate and bootstrap the empty database
    // themselves.
    run: async ({ reportDir }) => {
      let pg;
      try {
        const binDir = ensurePostgresBinaries();
        pg = await startThrowawayPostgres({ binDir });
      } catch (error) {
        process.stderr.write(`[test] could not start PostgreSQL: ${error.message}\n`);
        return crashed("PostgreSQL did not start");
      }
      const stop = () => pg.stopSync();
      cleanups.add(stop);
      try {
        const env = { KEYWARD_MI_DATABASE_URL: pg.url(TEST_DATABASE) };
        process.stdout.write(`[test] KEYWARD_MI_DATABASE_URL=${env.KEYWARD_MI_DATABASE_URL}\n`);
        return await vitestRunner("multi-instance", env, reportDir, 20);
      } finally {
        cleanups.delete(stop);
        await pg.stop();
      }
    },
  },
  load: {
    title: "load test: the built server under sustained mixed load (vitest --project load)",
    // Its global setup builds the app when stale, as the multi-instance one
    // does; the test starts the server on a throwaway SQLite database.
    run: ({ reportDir }) => vitestRunner("load", {}, reportDir, 10),
  },
};

// ---------------------------------------------------------------- setup (step 0)

function setupStep() {
  try {
    ensureNodeModules();
  } catch (error) {
    process.stderr.write(`[test] npm install failed: ${error.message}\n`);
    return { fatal: true, counts: crashed("npm install failed") };
  }
  const generator = path.join(REPO_ROOT, "scripts", "prisma-generate.mjs");
  if (!existsSync(generator)) {
    process.stderr.write("[test] warning: scripts/prisma-generate.mjs not found, Prisma clients not generated\n");
    return { fatal: false };
  }
  process.stdout.write("[test] $ node scripts/prisma-generate.mjs\n");
  const result = spawnSync(process.execPath, [generator], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...baseEnv },
    stdio: ["ignore", "inherit", "inherit"],
    timeout: 10 * MINUTE,
    killSignal: "SIGKILL",
  });
  if (result.status !== 0) {
    const why = result.error ? result.error.message : result.signal ? `killed by ${result.signal}` : `exit code ${result.status}`;
    process.stderr.write(`[test] prisma-generate failed: ${why}\n`);
    return { fatal: false, counts: crashed("prisma generate failed") };
  }
  return { fatal: false };
}

// ---------------------------------------------------------------- main

function header(text) {
  const line = "=".repeat(Math.max(10, Math.min(78, text.length + 8)));
  process.stdout.write(`\n${line}\n=== ${text}\n${line}\n`);
}

function formatDuration(ms) {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

function printSummary(rows) {
  const nameWidth = Math.max(6, ...rows.map((r) => r.name.length));
  const pad = (v, w) => String(v).padStart(w);
  const lines = [
    "",
    "Summary",
    `  ${"runner".padEnd(nameWidth)}  status   passed  failed  skipped  time`,
  ];
  for (const r of rows) {
    const status = r.status.padEnd(7);
    if (!r.counts) {
      lines.push(`  ${r.name.padEnd(nameWidth)}  ${status}  ${pad("-", 6)}  ${pad("-", 6)}  ${pad("-", 7)}  -`);
      continue;
    }
    const note = r.counts.note ? `  (${r.counts.note})` : "";
    lines.push(
      `  ${r.name.padEnd(nameWidth)}  ${status}  ${pad(r.counts.passed, 6)}  ${pad(r.counts.failed, 6)}  ${pad(r.counts.skipped, 7)}  ${formatDuration(r.ms)}${note}`,
    );
  }
  const total = rows.reduce(
    (acc, r) => ({
      passed: acc.passed + (r.counts?.passed ?? 0),
      failed: acc.failed + (r.counts?.failed ?? 0),
      skipped: acc.skipped + (r.counts?.skipped ?? 0),
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  lines.push("");
  lines.push(`${total.passed} passed, ${total.failed} failed${total.skipped > 0 ? `, ${total.skipped} skipped` : ""}`);
  process.stdout.write(`${lines.join("\n")}\n`);
  return total;
}

let interrupted = false;
function onSignal(signal) {
  if (interrupted) return;
  interrupted = true;
  const code = signal === "SIGINT" ? 130 : signal === "SIGHUP" ? 129 : 143;
  process.stderr.write(`\n[test] ${signal}: stopping\n`);
  const child = current;
  const done = () => {
    runCleanups();
    process.exit(code);
  };
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    done();
    return;
  }
  killGroup(child, "SIGTERM");
  const hard = setTimeout(() => {
    killGroup(child, "SIGKILL");
    done();
  }, 5_000);
  child.once("exit", () => {
    clearTimeout(hard);
    killGroup(child, "SIGKILL");
    done();
  });
}

async function main() {
  const { selected, setup } = parseArgs(process.argv.slice(2));
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, onSignal);
  process.on("exit", runCleanups);

  /** @type {{ name: string, status: string, counts?: Counts, ms: number }[]} */
  const rows = [];

  if (setup) {
    header("step 0: install what is missing");
    const started = Date.now();
    const result = setupStep();
    if (result.counts) rows.push({ name: "setup", status: "FAIL", counts: result.counts, ms: Date.now() - started });
    if (result.fatal) {
      for (const name of selected) rows.push({ name, status: "n/a", ms: 0 });
      const total = printSummary(rows);
      process.exit(total.failed > 0 ? 1 : 0);
    }
  }

  const reportTmp = makeTempDir("keyward-test-reports-");
  const selectedSet = new Set(selected);
  let index = 0;
  for (const name of RUNNERS) {
    if (!selectedSet.has(name)) continue;
    index++;
    const step = STEPS[name];
    header(`step ${index}/${selected.length}: ${step.title}`);
    const started = Date.now();
    let counts;
    try {
      counts = await step.run({ reportDir: reportTmp.dir });
    } catch (error) {
      process.stderr.write(`[test] ${name} crashed: ${error?.stack ?? error}\n`);
      counts = crashed("runner crashed");
    }
    const ms = Date.now() - started;
    rows.push({ name, status: counts.failed > 0 ? "FAIL" : "ok", counts, ms });
    process.stdout.write(
      `[test] ${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${formatDuration(ms)})\n`,
    );
  }
  reportTmp.remove();
  // Table in canonical order, including the runners that were not selected.
  const byName = new Map(rows.map((r) => [r.name, r]));
  const ordered = [
    ...rows.filter((r) => !RUNNERS.includes(r.name)),
    ...RUNNERS.map((name) => byName.get(name) ?? { name, status: "not run", ms: 0 }),
  ];

  const total = printSummary(ordered);
  process.exitCode = total.failed > 0 ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`[test] fatal: ${error?.stack ?? error}\n`);
  runCleanups();
  process.stdout.write("\n0 passed, 1 failed\n");
  process.exit(1);
});
