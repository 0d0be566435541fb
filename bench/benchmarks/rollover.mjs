/**
 * Key rollover pickup: the IdP starts signing with a new key (published
 * beside the old one) right after Keyward's cache filled; seconds from the
 * moment the IdP published it (its own clock) until Keyward accepts its
 * assertions, polling every POLL_MS with fresh ones.
 * Each trial has its own IdP (its own cache entry). jose's remote JWKS set
 * takes the same trials in the same run (a child process, side by side).
 */
import { summarize } from "../lib/stats.mjs";
import { startChild } from "../lib/child.mjs";
import { epochNow, startIdpProcess } from "../lib/jwks-server.mjs";
import { adminApi } from "../lib/keyward.mjs";
import { JWT_BEARER, TENANT } from "../lib/setup.mjs";

const MIN_INTERVAL_S = 5;
const POLL_MS = 20;
const TIMEOUT_S = 60;

async function trial(ctx) {
  const { main } = ctx;
  const idp = await startIdpProcess(ctx, { name: "idp-rollover" });
  await adminApi(main.server.url).post(`/api/v1/tenants/${TENANT}/identity-providers`, { name: idp.issuer, jwksUri: idp.jwksUrl, allowedAlgs: ["PS256"] });
  const authorization = `Basic ${Buffer.from(`${main.client.id}:${main.client.secret}`).toString("base64")}`;
  const post = async (assertion) =>
    (await fetch(main.tokenEndpoint, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization }, body: `grant_type=${encodeURIComponent(JWT_BEARER)}&assertion=${assertion}` })).status;
  if ((await post(idp.sign(main.tokenEndpoint))) !== 200) throw new Error("rollover: the filling assertion was refused");
  const fill = (await idp.fetchTimes()).at(-1);
  // The time the new key was published (epoch ms, from the IdP's process).
  const rotated = await idp.rotate();
  let refused = 0;
  while (epochNow() - rotated < TIMEOUT_S * 1000) {
    const status = await post(idp.sign(main.tokenEndpoint));
    if (status === 200) {
      const seconds = (epochNow() - rotated) / 1000;
      const refetch = (await idp.fetchTimes()).find((t) => t > rotated);
      await idp.close();
      return { seconds, refused, cacheFilledBeforeRotationMs: Math.round(rotated - fill), refetchAfterSeconds: refetch === undefined ? null : (refetch - rotated) / 1000 };
    }
    if (status !== 400) throw new Error(`rollover: a new-key assertion was answered ${status}`);
    refused += 1;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  await idp.close();
  return { seconds: null, refused };
}

export async function rolloverBenchmark(ctx) {
  const { opts } = ctx;
  ctx.log(`rollover: ${opts.runs} trials, polling every ${POLL_MS} ms (jose's trials run alongside)`);
  const jose = startChild("loops/jose-rollover.mjs", { logDir: ctx.tmp, name: "jose-rollover" });
  ctx.closers.push(() => jose.stop());
  const joseDone = jose.ask({ type: "rollover", trials: opts.runs, pollMs: POLL_MS, timeoutSeconds: TIMEOUT_S }, "result", (TIMEOUT_S + 60) * 1000);
  const trials = [];
  for (let i = 0; i < opts.runs; i++) trials.push(await trial(ctx));
  const theirs = await joseDone;
  await jose.stop();
  const mine = summarize(trials.map((t) => t.seconds ?? TIMEOUT_S));
  return [
    {
      id: "rollover",
      name: "key rollover pickup (IdP signs with a new key right after the cache filled)",
      unit: "s",
      keyward: mine,
      compared: [{ name: "jose createRemoteJWKSet, same trials", value: summarize(theirs.trials.map((t) => t.seconds ?? TIMEOUT_S)), ratio: null }],
      targets: [{ text: `≤ ${MIN_INTERVAL_S} s (the minimum interval)`, pass: trials.every((t) => t.seconds !== null) && mine.median <= MIN_INTERVAL_S }],
      details: { pollMs: POLL_MS, trials, joseTrials: theirs.trials, timeoutSeconds: TIMEOUT_S },
    },
  ];
}
