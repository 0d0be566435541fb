// `npm start`: install what is missing, generate the Prisma clients, build the
// app and compile the server when their sources changed, then run the
// compiled server with plain `node` (it prepares ./data, applies migrations
// and bootstraps before it listens).
//
//   node scripts/start.mjs [--dev] [--no-install] [--build-only]
//
// --build-only stops after the build (`npm run build`: the Next build in
// .next and the compiled server, .next/keyward-server.mjs; the benchmarks and
// the tests start the built server themselves). --dev runs Next's dev server
// through server.ts with tsx instead (nothing is built).
//
// Plain Node with builtins only until dependencies are installed.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildServer, newestMtime, serverBuildStale, serverCommand } from "./lib/server-build.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const dev = args.has("--dev");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";

function say(message) {
  process.stderr.write(`[keyward] ${message}\n`);
}

function run(command, argv, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, ...extraEnv } });
    child.on("error", reject);
    child.on("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} ${argv.join(" ")} failed (${signal ?? code})`))));
  });
}

async function main() {
  if (!args.has("--no-install")) {
    const { ensureNodeModules } = await import("./lib/ensure-deps.mjs");
    await ensureNodeModules();
  }
  const generated = path.join(root, "lib/generated/sqlite/client.ts");
  const schemaTime = fs.statSync(path.join(root, "prisma/schema.prisma")).mtimeMs;
  if (!fs.existsSync(generated) || !fs.existsSync(path.join(root, "lib/generated/postgresql/client.ts")) || fs.statSync(generated).mtimeMs < schemaTime) {
    await run(process.execPath, ["scripts/prisma-generate.mjs"]);
  }
  if (!dev) {
    const buildId = path.join(root, ".next/BUILD_ID");
    const sources = newestMtime(root, ["app", "components", "lib", "public", "proxy.ts", "next.config.js", "postcss.config.mjs", "prisma/schema.prisma", "package-lock.json", "tsconfig.json"]);
    const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
    if (built < sources) {
      say("building the app (first start or sources changed)…");
      await run(path.join(root, "node_modules/.bin/next"), ["build"]);
    }
    // A Next build clears .next, the compiled server with it.
    if (serverBuildStale(root)) {
      say("compiling the server…");
      await buildServer(root);
    }
  }
  if (args.has("--build-only")) return;
  const server = dev ? { args: ["--import", "tsx", "server.ts", "--dev"], env: {} } : serverCommand(process.env);
  const child = spawn(process.execPath, server.args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...server.env, NODE_ENV: dev ? "development" : "production" },
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((error) => {
  say(error.message);
  process.exit(1);
});
