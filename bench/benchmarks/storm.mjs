/**
 * The unknown-kid storm: `stormConcurrency` (200) assertions in flight at a
 * time whose kid the IdP does not have (1,000 different kids), for
 * stormSeconds (default 20 s; the issue's 60 s with --storm-seconds=60)
 * right after Keyward's cache filled, with the upstream healthy and then
 * answering 500. What counts is the JWKS requests at the loopback IdP: at
 * most one per minimum interval (5 s), i.e. at most ceil(seconds / 5) in
 * the storm and never two less than 5 s apart; the storm is counted in
 * `runs` equal windows for the median and range. jose's createRemoteJWKSet
 * takes the same storm in the same run (a child process, its own IdP), side
 * by side; its 30 s cooldown means its behaviour under a failing upstream
 * only shows in storms longer than 30 s.
 */
import { load } from "../lib/load.mjs";
import { summarize } from "../lib/stats.mjs";
import { startChild } from "../lib/child.mjs";
import { epochNow, startIdpProcess } from "../lib/jwks-server.mjs";
import { adminApi } from "../lib/keyward.mjs";
import { rsaKey, signPs256 } from "../lib/pki.mjs";
import { JWT_BEARER, TENANT } from "../lib/setup.mjs";

const MIN_INTERVAL_S = 5;
const FORM = "application/x-www-form-urlencoded";

async function storm(ctx, upstream) {
  const { opts, main } = ctx;
  const windows = opts.runs;
  const total = opts.stormSeconds;
  const seconds = total / windows;
  const idp = await startIdpProcess(ctx, { name: `idp-storm-${upstream}` });
  await adminApi(main.server.url).post(`/api/v1/tenants/${TENANT}/identity-providers`, { name: idp.issuer, jwksUri: idp.jwksUrl, allowedAlgs: ["PS256"] });
  const authorization = `Basic ${Buffer.from(`${main.client.id}:${main.client.secret}`).toString("base64")}`;
  const post = async (assertion) => {
    const res = await fetch(main.tokenEndpoint, { method: "POST", headers: { "content-type": FORM, authorization }, body: `grant_type=${encodeURIComponent(JWT_BEARER)}&assertion=${assertion}` });
    return { status: res.status, json: await res.json() };
  };
  const filled = await post(idp.sign(main.tokenEndpoint));
  if (filled.status !== 200) throw new Error(`storm: the filling assertion was refused: ${JSON.stringify(filled.json)}`);
  if (upstream !== 200) await idp.answer(upstream);
  const stranger = rsaKey();
  const now = Math.floor(Date.now() / 1000);
  const bodies = Array.from({ length: 1000 }, (_, i) => {
    const jwt = signPs256({ iss: idp.issuer, sub: "storm", aud: main.tokenEndpoint, iat: now, exp: now + 3600, jti: `storm-${i}` }, { ...stranger, kid: `unknown-${upstream}-${i}` });
    return `grant_type=${encodeURIComponent(JWT_BEARER)}&assertion=${jwt}`;
  });
  const probe = await post(bodies[0].split("assertion=")[1]);
  if (probe.status !== 400 || !/kid/.test(probe.json.error_description ?? "")) throw new Error(`storm: an unknown kid was answered ${probe.status} ${JSON.stringify(probe.json)}`);

  const jose = startChild("loops/jose-storm.mjs", { logDir: ctx.tmp, name: `jose-storm-${upstream}` });
  ctx.closers.push(() => jose.stop());
  const joseDone = jose.next("result", (windows * seconds + 120) * 1000);
  await jose.ask({ type: "storm", upstream, windows, windowSeconds: seconds, concurrency: opts.stormConcurrency }, "started");

  let next = 0;
  const t0 = epochNow();
  const run = await load({
    url: main.server.url,
    path: `/${TENANT}/oauth2/token`,
    method: "POST",
    connections: opts.stormConcurrency,
    duration: total,
    headers: { "content-type": FORM, authorization },
    setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
  });
  const times = await idp.fetchTimes();
  const counts = Array.from({ length: windows }, (_, i) => times.filter((t) => t >= t0 + i * seconds * 1000 && t < t0 + (i + 1) * seconds * 1000).length);
  const during = times.filter((t) => t >= t0 && t < t0 + total * 1000);
  const gaps = during.slice(1).map((t, i) => t - during[i]);
  const theirs = await joseDone;
  await jose.stop();
  ctx.sampleMemory(`storm ${upstream}`);
  await idp.close();
  // Every answer must be the refusal; a few client-side timeouts on a loaded machine do not change what is counted.
  const wrong = Object.entries(run.statusCodes).filter(([code]) => code !== "400");
  if (wrong.length > 0 || run.errors > 0.05 * run.responses) throw new Error(`storm: ${run.errors} errors (${run.timeouts} timeouts) in ${run.responses} answers; answers other than 400: ${JSON.stringify(Object.fromEntries(wrong))}`);
  const allowed = Math.ceil(total / MIN_INTERVAL_S);
  const minGap = gaps.length ? Math.min(...gaps) / 1000 : null;
  const fetched = counts.reduce((a, b) => a + b, 0);
  return {
    id: upstream === 200 ? "storm" : `storm-${upstream}`,
    name: `unknown-kid storm, ${opts.stormConcurrency} in flight for ${total} s, upstream ${upstream === 200 ? "healthy" : `answering ${upstream}`}: JWKS fetches per ${Math.round(seconds * 10) / 10} s window`,
    unit: "",
    keyward: summarize(counts),
    compared: [{ name: "jose createRemoteJWKSet, same storm", value: summarize(theirs.windows), ratio: null }],
    targets: [
      {
        text: `≤ 1 per ${MIN_INTERVAL_S} s (Keyward: ${fetched} in ${total} s, ≤ ${allowed} allowed; closest two ${minGap === null ? "–" : `${minGap.toFixed(2)} s`} apart)`,
        pass: fetched <= allowed && (minGap === null || minGap >= MIN_INTERVAL_S - 0.05),
      },
    ],
    details: {
      stormSeconds: total,
      keywardFetches: fetched,
      joseFetches: theirs.windows.reduce((a, b) => a + b, 0),
      keywardFetchesPerWindow: counts,
      keywardMinGapSeconds: minGap,
      keywardStormRequests: run.responses,
      keywardStormRps: Math.round(run.rps),
      keywardStormErrors: run.errors,
      keywardStormLatencyMs: run.latency,
      joseFetchesPerWindow: theirs.windows,
      joseMinGapSeconds: theirs.minGapMs === null ? null : theirs.minGapMs / 1000,
      joseVerifications: theirs.verifications,
      note: "windows start right after the cache filled; the IdP runs in its own process; jose runs concurrently in its own process with its own loopback IdP",
    },
  };
}

export async function stormBenchmarks(ctx) {
  ctx.log(`storm: ${ctx.opts.stormConcurrency} unknown-kid assertions in flight for ${ctx.opts.stormSeconds} s, upstream healthy, then answering 500 (jose alongside)`);
  const results = [await storm(ctx, 200)];
  results.push(await storm(ctx, 500));
  return results;
}
