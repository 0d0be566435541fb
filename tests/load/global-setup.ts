// Global setup of the `load` vitest project: builds the app when its sources
// are newer than the build (`node scripts/start.mjs --build-only`, the check
// `npm start`, `npm run build` and `npm run bench` make), so the test runs
// the compiled server as production does.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBuilt } from "../../bench/lib/keyward.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export default async function setup(): Promise<void> {
  const started = Date.now();
  await ensureBuilt(ROOT, (text) => process.stdout.write(text));
  console.log(`[load] production build ready (${Math.round((Date.now() - started) / 1000)} s)`);
}
