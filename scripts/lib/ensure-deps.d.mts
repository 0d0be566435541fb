// Types for ensure-deps.mjs (plain JS so it runs before `npm install`).

/** Repository root. */
export declare const REPO_ROOT: string;

/** Run a command (inherited stdout/stderr, no stdin, bounded); throws on failure. */
export declare function run(
  command: string,
  args: readonly string[],
  options?: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): void;

/**
 * `npm install --no-audit --no-fund` when node_modules/.package-lock.json is
 * missing or older than package.json / package-lock.json. True when it installed.
 */
export declare function ensureNodeModules(options?: { cwd?: string; force?: boolean }): boolean;

/** Path of a Chromium binary (CHROMIUM_PATH or /usr/bin/chromium), apt-installing it if missing. */
export declare function ensureChromium(): string;

/** /usr/lib/postgresql/<v>/bin holding initdb (15 preferred), or undefined. */
export declare function findPostgresBinDir(): string | undefined;

/** PostgreSQL server bin dir (KEYWARD_PG_BIN_DIR or /usr/lib/postgresql/<v>/bin), apt-installing if missing. */
export declare function ensurePostgresBinaries(): string;
