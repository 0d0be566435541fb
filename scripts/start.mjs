// `npm start`: install what is missing, generate the Prisma clients, build the
// app when its sources changed, then run the server (which prepares ./data,
// applies migrations and bootstraps before it listens).
//
//   node scripts/start.mjs [--dev] [--no-install] [--build-only]
//
// --build-only stops after the build (`npm run build`; the benchmarks and
// the end-to-end tests start the built server themselves).
//
// Plain Node with builtins only until dependencies are installed.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const dev = args.has("--dev");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";

function say(message) {
  process.stderr.write(`[keyward] ${message}\n`);
}

function newestMtime(entries) {
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
    const sources = newestMtime(["app", "components", "lib", "public", "proxy.ts", "next.config.js", "postcss.config.mjs", "package-lock.json", "tsconfig.json"]);
    const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
    if (built < sources) {
      say("building the app (first start or sources changed)…");
      await run(path.join(root, "node_modules/.bin/next"), ["build"]);
    }
  }
  if (args.has("--build-only")) return;
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts", ...(dev ? ["--dev"] : [])], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: dev ? "development" : "production" },
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((error) => {
  say(error.message);
  process.exit(1);
});
