// The production server as one compiled JavaScript file.
//
// `npm run build` (scripts/start.mjs --build-only) compiles server.ts and the
// lib/ modules it imports (the Prisma clients generated into lib/generated
// included) into SERVER_BUNDLE with esbuild; `npm start` runs that file with
// plain `node`. Packages from node_modules stay imports (Node loads them as
// they are). Running the TypeScript sources through tsx instead costs about a
// hundred megabytes of resident memory (transpiled sources and source maps
// kept for every module, Next's chunks included) and a second of start.
//
// Plain Node ESM: esbuild is imported only when a build is due (after the
// dependencies are installed).

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The compiled server, relative to the repository root. Inside .next: a new Next build clears it, and it is rebuilt with it. */
export const SERVER_BUNDLE = ".next/keyward-server.mjs";

/**
 * The V8 heap budget of the server, in MiB (--max-old-space-size). V8 sizes
 * the heap from it: with a budget of 2 GiB or more (by default V8 derives
 * it from the machine's memory: 4 GiB on a 24 GiB machine) it lets the heap
 * grow to four times the live data before a full collection, below that to
 * 1.3–2 times. The server's live heap is 70–90 MB, idle and after the
 * benchmark loads; with the default budget it held 450–560 MB of RSS after a
 * few console loads, mostly garbage not yet collected. 512 MiB is six times the live heap, and the
 * heaviest page measured (the audit log over 100,000 events) completes
 * within it. An operator's own --max-old-space-size in NODE_OPTIONS wins.
 */
export const HEAP_BUDGET_MB = 512;

/**
 * The young generation's semi-space, in MiB (--max-semi-space-size). Under
 * load V8 grows it to its maximum (16 MiB here, three times that resident);
 * 8 MiB kept the server's peak RSS over the benchmark loads 22 MB lower (296
 * → 274 MB) with the token endpoint's rates unchanged within the noise
 * (client_credentials 1.26× oidc-provider, jwt-bearer 1.04× its ceiling).
 * An operator's own --max-semi-space-size in NODE_OPTIONS wins.
 */
export const SEMI_SPACE_MB = 8;

/**
 * glibc's malloc raises its mmap threshold each time a large block is freed;
 * from then on blocks of that size come from its per-thread arenas and stay
 * resident once freed. Large blocks freed during start-up and by request work
 * (argon2 takes 19 MiB per password hash, on libuv's worker threads) kept
 * 40–70 MB resident at idle. A fixed threshold (glibc's default starting
 * value, 128 KiB) keeps large blocks mmap'ed, so freeing them returns the
 * memory (mallopt(3), M_MMAP_THRESHOLD). An operator's own
 * MALLOC_MMAP_THRESHOLD_ wins; other C libraries ignore the variable.
 */
const MMAP_THRESHOLD_BYTES = 128 * 1024;

/**
 * How production runs the compiled server (scripts/start.mjs, and the
 * benchmarks and tests that measure what it runs): `node` with these
 * arguments, and these variables added to the environment (glibc reads its
 * variable when the process starts, so the parent sets it).
 */
export function serverCommand(env = process.env) {
  const args = [];
  if (!/--max-old-space-size/.test(env.NODE_OPTIONS ?? "")) args.push(`--max-old-space-size=${HEAP_BUDGET_MB}`);
  if (!/--max-semi-space-size/.test(env.NODE_OPTIONS ?? "")) args.push(`--max-semi-space-size=${SEMI_SPACE_MB}`);
  args.push(SERVER_BUNDLE);
  const extraEnv = env.MALLOC_MMAP_THRESHOLD_ === undefined ? { MALLOC_MMAP_THRESHOLD_: String(MMAP_THRESHOLD_BYTES) } : {};
  return { args, env: extraEnv };
}

/** What the compiled server is made of, besides the modules under lib/ it imports. */
const SERVER_SOURCES = ["server.ts", "lib", "prisma/schema.prisma", "package-lock.json", "tsconfig.json", "scripts/lib/server-build.mjs"];

/** Newest modification time under `entries` (relative to `root`), test files, node_modules and dot folders left out. */
export function newestMtime(root, entries) {
  let newest = 0;
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      const base = path.basename(p);
      if (base === "node_modules" || base === "generated" || base.startsWith(".")) return;
      for (const child of fs.readdirSync(p)) visit(path.join(p, child));
    } else if (!/\.(test|int\.test|spec)\.[mc]?tsx?$/.test(p)) {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  for (const e of entries) visit(path.join(root, e));
  return newest;
}

/** True when the compiled server is missing or older than one of its sources. */
export function serverBuildStale(root = ROOT) {
  let built;
  try {
    built = fs.statSync(path.join(root, SERVER_BUNDLE)).mtimeMs;
  } catch {
    return true;
  }
  return built < newestMtime(root, SERVER_SOURCES);
}

/**
 * Compiles server.ts into SERVER_BUNDLE: ESM for Node 20, every node_modules
 * package left as an import, the `@/` alias resolved from tsconfig.json.
 * Written to a temporary file and renamed, so a server starting meanwhile
 * never reads half a file.
 */
export async function buildServer(root = ROOT) {
  const esbuild = await import("esbuild");
  const outfile = path.join(root, SERVER_BUNDLE);
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ["server.ts"],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    packages: "external",
    tsconfig: "tsconfig.json",
    // Not minified: stack traces stay readable without source maps (which
    // would cost memory again under --enable-source-maps).
    minify: false,
    legalComments: "none",
    logLevel: "warning",
    write: false,
    banner: { js: "// Compiled from server.ts by scripts/lib/server-build.mjs (npm run build). Do not edit." },
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error("esbuild produced no output for server.ts");
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, file.contents);
  fs.renameSync(tmp, outfile);
  return outfile;
}
