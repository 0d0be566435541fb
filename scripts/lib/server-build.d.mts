// Types for server-build.mjs (plain JS: scripts/start.mjs runs it before anything is compiled).

/** The compiled server, relative to the repository root. */
export declare const SERVER_BUNDLE: string;

/** The V8 heap budget of the server, in MiB (--max-old-space-size). */
export declare const HEAP_BUDGET_MB: number;

/** How production runs the compiled server: `node ...args`, with `env` added to the environment. */
export declare function serverCommand(env?: NodeJS.ProcessEnv): { args: string[]; env: Record<string, string> };

/** Newest modification time under `entries` (relative to `root`), test files, node_modules and dot folders left out. */
export declare function newestMtime(root: string, entries: readonly string[]): number;

/** True when the compiled server is missing or older than one of its sources. */
export declare function serverBuildStale(root?: string): boolean;

/** Compiles server.ts into SERVER_BUNDLE; answers its absolute path. */
export declare function buildServer(root?: string): Promise<string>;
