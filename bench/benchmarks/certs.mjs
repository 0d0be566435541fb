/**
 * GET /{tenant}/oauth2/v1/certs (three RSA keys with certificates), 50
 * connections, against oidc-provider serving the same keys at /jwks and a
 * bare node:http server answering Keyward's own bytes (the ceiling); then
 * the same with If-None-Match (the 304 path) against the ceiling's 304.
 * Runs are interleaved (the order rotates), ratios are taken per run.
 */
import { load, check } from "../lib/load.mjs";
import { ratios, summarize } from "../lib/stats.mjs";
import { startChild } from "../lib/child.mjs";
import { TENANT } from "../lib/setup.mjs";

const SKIP = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

/** Keyward's answer as bytes to replay: status, headers (as Node writes them back), body. */
async function capture(url, headers = {}) {
  const res = await fetch(url, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  const out = [];
  res.headers.forEach((value, name) => {
    if (!SKIP.has(name)) out.push(name, value);
  });
  return { status: res.status, headers: out, body, etag: res.headers.get("etag") };
}

export async function startBare(ctx, certsUrl) {
  const full = await capture(certsUrl);
  if (full.status !== 200 || !full.etag) throw new Error(`GET ${certsUrl} answered ${full.status} without an ETag`);
  const notModified = await capture(certsUrl, { "if-none-match": full.etag });
  if (notModified.status !== 304) throw new Error(`GET ${certsUrl} with If-None-Match answered ${notModified.status}, not 304`);
  const bare = startChild("servers/bare-jwks.mjs", { logDir: ctx.tmp, name: "bare-jwks" });
  ctx.closers.push(() => bare.stop());
  const { port } = await bare.ask({ type: "start", body: full.body.toString("base64"), headers: full.headers, notModifiedHeaders: notModified.headers, etag: full.etag }, "listening");
  return { url: `http://127.0.0.1:${port}`, etag: full.etag, bytes: full.body.length, keys: JSON.parse(full.body.toString()).keys };
}

/**
 * Runs `targets` in `runs` interleaved rounds (the order rotates, so no
 * target always runs first or right after another's load), after one short
 * warm-up of each HTTP target; answers every run's rate per target. A target
 * is load() options, or an async function of the round answering { rps }
 * (the one-process ceilings, request-bound loads with fresh bodies).
 */
export async function rounds(ctx, targets, { runs, after, expect } = {}) {
  const names = Object.keys(targets);
  for (const name of names) {
    if (typeof targets[name] !== "function") check(`${name} (warm-up)`, await load({ ...targets[name], duration: Math.min(2, ctx.opts.duration) }), expect);
  }
  const rates = Object.fromEntries(names.map((n) => [n, []]));
  const details = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < (runs ?? ctx.opts.runs); r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const name of order) {
      const target = targets[name];
      const result = typeof target === "function" ? await target(r) : check(name, await load(target), expect);
      rates[name].push(result.rps);
      details[name].push(result.latency ? { rps: Math.round(result.rps), p50: result.latency.p50, p99: result.latency.p99, responses: result.responses } : { rps: Math.round(result.rps) });
      await after?.(name, r);
    }
  }
  return { rates, details };
}

export async function certsBenchmarks(ctx) {
  const { opts, main, oidc } = ctx;
  const certsUrl = `${main.server.url}/${TENANT}/oauth2/v1/certs`;
  const bare = await startBare(ctx, certsUrl);
  const keyCount = bare.keys.length;
  const withCerts = bare.keys.filter((k) => Array.isArray(k.x5c)).length;
  if (keyCount !== 3 || withCerts !== 3) throw new Error(`the tenant publishes ${keyCount} keys, ${withCerts} with x5c; expected 3 with certificates`);
  const oidcJwks = await (await fetch(`${oidc.url}/jwks`)).json();
  const same = oidcJwks.keys.map((k) => k.n).sort().join() === bare.keys.map((k) => k.n).sort().join();
  if (!same) throw new Error("oidc-provider does not publish the same keys as Keyward");
  const oidcBytes = Buffer.byteLength(JSON.stringify(oidcJwks));
  const base = { connections: opts.connections, duration: opts.duration };
  const results = [];

  if (ctx.selected("certs")) {
    ctx.log(`certs: Keyward vs oidc-provider vs bare node:http, ${opts.connections} connections, ${opts.loadRuns} × ${opts.duration} s`);
    const { rates, details } = await rounds(
      ctx,
      {
        keyward: { ...base, url: main.server.url, path: `/${TENANT}/oauth2/v1/certs` },
        "oidc-provider": { ...base, url: oidc.url, path: "/jwks" },
        ceiling: { ...base, url: bare.url, path: `/${TENANT}/oauth2/v1/certs` },
      },
      { runs: opts.loadRuns, after: (name, r) => name === "keyward" && ctx.sampleMemory(`certs run ${r + 1}`) },
    );
    ctx.repeats.push({ name: "certs", run: () => load({ ...base, url: main.server.url, path: `/${TENANT}/oauth2/v1/certs` }) });
    const vsOidc = summarize(ratios(rates.keyward, rates["oidc-provider"]));
    const vsCeiling = summarize(ratios(rates.keyward, rates.ceiling));
    results.push({
      id: "certs",
      name: "GET /{tenant}/oauth2/v1/certs (3 keys with certificates)",
      unit: "req/s",
      keyward: summarize(rates.keyward),
      compared: [
        { name: "oidc-provider /jwks", value: summarize(rates["oidc-provider"]), ratio: vsOidc },
        { name: "bare node:http, same bytes (ceiling)", value: summarize(rates.ceiling), ratio: vsCeiling },
      ],
      targets: [
        { text: "≥ 2× oidc-provider", pass: vsOidc.median >= 2 },
        { text: "≥ 0.8× ceiling", pass: vsCeiling.median >= 0.8 },
      ],
      details: { connections: opts.connections, bodyBytes: bare.bytes, oidcProviderBodyBytes: oidcBytes, runs: details },
    });
  }

  if (ctx.selected("certs-304")) {
    ctx.log(`certs-304: If-None-Match, Keyward vs bare node:http, ${opts.loadRuns} × ${opts.duration} s`);
    const headers = { "if-none-match": bare.etag };
    const { rates, details } = await rounds(
      ctx,
      {
        keyward: { ...base, url: main.server.url, path: `/${TENANT}/oauth2/v1/certs`, headers },
        ceiling: { ...base, url: bare.url, path: `/${TENANT}/oauth2/v1/certs`, headers },
      },
      { runs: opts.loadRuns, expect: (code) => code === 304, after: (name, r) => name === "keyward" && ctx.sampleMemory(`certs-304 run ${r + 1}`) },
    );
    ctx.repeats.push({ name: "certs-304", run: () => load({ ...base, url: main.server.url, path: `/${TENANT}/oauth2/v1/certs`, headers }) });
    const vsCeiling = summarize(ratios(rates.keyward, rates.ceiling));
    results.push({
      id: "certs-304",
      name: "same, If-None-Match (304)",
      unit: "req/s",
      keyward: summarize(rates.keyward),
      compared: [{ name: "bare node:http 304 (ceiling)", value: summarize(rates.ceiling), ratio: vsCeiling }],
      targets: [{ text: "report", pass: null }],
      details: { connections: opts.connections, runs: details },
    });
  }
  return results;
}
