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
 * How production runs the compiled server (scripts/start.mjs, and the
 * benchmarks and tests that measure what it runs): `node` with these
 * arguments, and these variables added to the environment.
 */
export function serverCommand() {
  return { args: [SERVER_BUNDLE], env: {} };
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
