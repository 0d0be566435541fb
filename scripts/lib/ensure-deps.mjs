// Install-what-is-missing helpers shared by scripts/test.mjs and scripts/start.mjs.
//
// Plain Node ESM with builtins only: this must work before `npm install` ran.
// Every external command is bounded by a timeout and gets no stdin (CI runs
// without a terminal).

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (scripts/lib/ → ../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

const MINUTE = 60_000;
const DEFAULT_CHROMIUM = "/usr/bin/chromium";

function log(message) {
  process.stderr.write(`[ensure-deps] ${message}\n`);
}

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function mtimeMs(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Run a command with inherited stdout/stderr, no stdin, and a hard timeout.
 * Throws on spawn error, timeout or non-zero exit.
 */
export function run(command, args, { cwd = REPO_ROOT, env = process.env, timeoutMs = 15 * MINUTE } = {}) {
  const shown = [command, ...args].join(" ");
  log(`$ ${shown}`);
  const result = spawnSync(command, args, {
    cwd,
    env,
    stdio: ["ignore", "inherit", "inherit"],
    timeout: timeoutMs,
    killSignal: "SIGKILL",
  });
  if (result.error) {
    throw new Error(`${shown}: ${result.error.message}`);
  }
  if (result.signal) {
    throw new Error(`${shown}: killed by ${result.signal}${result.signal === "SIGKILL" ? " (timeout?)" : ""}`);
  }
  if (result.status !== 0) {
    throw new Error(`${shown}: exited with code ${result.status}`);
  }
}

/**
 * `npm install` when node_modules is missing or older than package.json /
 * package-lock.json (judged by npm's hidden lockfile node_modules/.package-lock.json).
 * Returns true when an install ran.
 */
export function ensureNodeModules({ cwd = REPO_ROOT, force = false } = {}) {
  const hidden = path.join(cwd, "node_modules", ".package-lock.json");
  const installed = mtimeMs(hidden);
  const newest = Math.max(
    mtimeMs(path.join(cwd, "package.json")) ?? 0,
    mtimeMs(path.join(cwd, "package-lock.json")) ?? 0,
  );
  if (!force && installed !== undefined && installed >= newest) {
    return false;
  }
  log(installed === undefined ? "node_modules missing: installing" : "node_modules out of date: installing");
  run("npm", ["install", "--no-audit", "--no-fund"], {
    cwd,
    env: { ...process.env, npm_config_update_notifier: "false" },
    timeoutMs: 20 * MINUTE,
  });
  // npm leaves the hidden lockfile untouched when nothing changed; mark the
  // install as current so the next run does not reinstall.
  if (existsSync(hidden)) {
    const now = new Date();
    try {
      utimesSync(hidden, now, now);
    } catch {
      // not fatal
    }
  }
  return true;
}

function aptInstall(packages, { update = true } = {}) {
  if (process.platform !== "linux" || !existsSync("/usr/bin/apt-get")) {
    throw new Error(`cannot install ${packages.join(" ")}: apt-get not available`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // Not root: try passwordless sudo (fails fast with -n instead of prompting).
  const aptGet = (args) =>
    isRoot() ? run("apt-get", args, { env, timeoutMs: 20 * MINUTE }) : run("sudo", ["-n", "-E", "apt-get", ...args], { env, timeoutMs: 20 * MINUTE });
  if (update) {
    aptGet(["update"]);
  }
  aptGet(["install", "-y", ...packages]);
}

/**
 * Make sure a Chromium binary exists (Debian package; Playwright cannot
 * download browsers here). Honors CHROMIUM_PATH. Returns the binary path.
 */
export function ensureChromium() {
  const wanted = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  if (existsSync(wanted)) {
    return wanted;
  }
  if (process.env.CHROMIUM_PATH && process.env.CHROMIUM_PATH !== DEFAULT_CHROMIUM) {
    throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
  }
  log(`${DEFAULT_CHROMIUM} missing: installing the Debian chromium package`);
  aptInstall(["chromium"]);
  if (!existsSync(DEFAULT_CHROMIUM)) {
    throw new Error(`apt-get install chromium finished but ${DEFAULT_CHROMIUM} is missing`);
  }
  return DEFAULT_CHROMIUM;
}

/** Find /usr/lib/postgresql/<v>/bin with an initdb; prefers 15, else the newest. */
export function findPostgresBinDir() {
  const root = "/usr/lib/postgresql";
  const preferred = path.join(root, "15", "bin");
  if (existsSync(path.join(preferred, "initdb"))) {
    return preferred;
  }
  let versions = [];
  try {
    versions = readdirSync(root);
  } catch {
    return undefined;
  }
  const candidates = versions
    .filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return candidates.length > 0 ? path.join(root, candidates[0], "bin") : undefined;
}

/**
 * Make sure PostgreSQL server binaries (initdb, pg_ctl, postgres) exist.
 * Honors KEYWARD_PG_BIN_DIR. Returns the bin directory.
 */
export function ensurePostgresBinaries() {
  const override = process.env.KEYWARD_PG_BIN_DIR;
  if (override) {
    if (!existsSync(path.join(override, "initdb"))) {
      throw new Error(`KEYWARD_PG_BIN_DIR=${override} has no initdb`);
    }
    return override;
  }
  const found = findPostgresBinDir();
  if (found) {
    return found;
  }
  log("PostgreSQL server binaries missing: installing the Debian postgresql package");
  aptInstall(["postgresql"]);
  const installed = findPostgresBinDir();
  if (!installed) {
    throw new Error("apt-get install postgresql finished but no /usr/lib/postgresql/*/bin/initdb exists");
  }
  return installed;
}
