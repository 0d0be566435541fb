/**
 * Where the server's time went: a summary of a V8 .cpuprofile (node
 * --cpu-prof) by self time, per function and per package or source folder.
 *
 *   node bench/lib/profile.mjs path/to/file.cpuprofile [top]
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const bundles = new Map();

/**
 * The source file a line of the compiled server (.next/keyward-server.mjs,
 * see scripts/lib/server-build.mjs) came from: esbuild heads each module's
 * code with a `// lib/….ts` comment. Answers "lib/…" or "server.ts", or null.
 */
function bundleSource(file, line) {
  if (!bundles.has(file)) {
    const starts = [];
    try {
      fs.readFileSync(file, "utf8")
        .split("\n")
        .forEach((text, i) => {
          const m = /^\/\/ (server\.ts|lib\/[\w./@[\]-]*\.tsx?)$/.exec(text);
          if (m) starts.push([i, m[1]]);
        });
    } catch {
      // gone since the profile was taken: no attribution
    }
    bundles.set(file, starts);
  }
  let source = null;
  for (const [start, name] of bundles.get(file)) {
    if (start > line) break;
    source = name;
  }
  return source;
}

/** A profile frame's URL, with the compiled server's lines put back in their source files. */
function sourceOf(url, line) {
  const clean = url.replace(/^file:\/\//, "");
  if (!clean.endsWith("/.next/keyward-server.mjs")) return clean;
  const source = bundleSource(clean, line);
  // The repository root is the folder above .next.
  return source ? path.join(path.dirname(path.dirname(clean)), source) : clean;
}

/** A frame's place and line; a line of the compiled server is the compiled file's. */
function at(url, line) {
  if (!url) return "(native)";
  const place = where(url, line);
  return url.endsWith("/.next/keyward-server.mjs") ? `${place} (keyward-server.mjs:${line + 1})` : `${place}:${line + 1}`;
}

function where(url, line = 0) {
  if (!url) return "(native)";
  const clean = sourceOf(url, line);
  const nm = clean.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = clean.slice(nm + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (clean.startsWith("node:")) return clean;
  const m = /\/(lib|app|components|\.next\/server)\/(.*)$/.exec(clean);
  if (m) return `${m[1]}/${m[2].split("/").slice(0, 2).join("/")}`;
  return clean.split("/").slice(-2).join("/");
}

export function summarizeProfile(file, top = 25) {
  const profile = JSON.parse(fs.readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  // Inclusive time of Keyward's own functions (lib/, server.ts): each sample counts once per function on its stack.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const { functionName, url, lineNumber } = byId.get(id).callFrame;
      const source = url ? sourceOf(url, lineNumber) : "";
      if (!/\/(lib|server\.ts)/.test(source) || /node_modules|\/generated\//.test(source)) continue;
      const key = `${functionName || "(anonymous)"} ${at(url, lineNumber)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  }
  const fns = new Map();
  const places = new Map();
  let idle = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    if (functionName === "(idle)") {
      idle += us;
      continue;
    }
    const key = `${functionName || "(anonymous)"} ${at(url, lineNumber)}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const place = ["(program)", "(garbage collector)"].includes(functionName) ? functionName : where(url, lineNumber);
    places.set(place, (places.get(place) ?? 0) + us);
  }
  const busy = total - idle;
  const rows = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: busy ? us / busy : 0 }));
  return { file, totalMs: Math.round(total / 1000), busyMs: Math.round(busy / 1000), functions: rows(fns), places: rows(places), keyward: rows(inclusive) };
}

export function formatProfile(summary) {
  const line = (r) => `  ${(r.share * 100).toFixed(1).padStart(5)} %  ${String(r.ms).padStart(7)} ms  ${r.name}`;
  return [
    `${summary.file}: ${summary.busyMs} ms busy of ${summary.totalMs} ms`,
    "by package / source folder (self time):",
    ...summary.places.slice(0, 15).map(line),
    "by function (self time):",
    ...summary.functions.map(line),
    "Keyward's own functions (inclusive time: with what they call):",
    ...summary.keyward.slice(0, 20).map(line),
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${formatProfile(summarizeProfile(process.argv[2], Number(process.argv[3] ?? 25)))}\n`);
}
