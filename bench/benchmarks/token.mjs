/**
 * POST /{tenant}/oauth2/token:
 *  - client_credentials (client_secret_basic, JWT access token, PS256, RSA
 *    2048) against oidc-provider's token endpoint doing the same (resource
 *    indicators, accessTokenFormat "jwt", same key), and jose signing the
 *    same access token in one process (the ceiling);
 *  - jwt-bearer with the IdP's keys cached (PS256 assertions, each with a
 *    fresh jti, pre-signed) against jose verifying the assertion and signing
 *    the access token in one process (the ceiling).
 * Runs are interleaved; ratios are taken per run.
 */
import { decodeProtectedHeader } from "jose";
import { load, check } from "../lib/load.mjs";
import { ratios, summarize } from "../lib/stats.mjs";
import { startChild } from "../lib/child.mjs";
import { JWT_BEARER, TENANT } from "../lib/setup.mjs";
import { rounds } from "./certs.mjs";

const FORM = "application/x-www-form-urlencoded";
const basic = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

async function tokenOnce(url, authorization, body) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": FORM, authorization }, body });
  return { status: res.status, json: await res.json() };
}

async function startCeiling(ctx) {
  const { main } = ctx;
  const jose = startChild("loops/jose-ceiling.mjs", { logDir: ctx.tmp, name: "jose-ceiling" });
  ctx.closers.push(() => jose.stop());
  await jose.ask(
    {
      type: "setup",
      tenantKeyPem: main.activeKey.privateKeyPem,
      tenantKid: main.activeKey.kid,
      idpJwk: main.idp.keys[0].publicJwk,
      assertion: main.idp.sign(main.tokenEndpoint, undefined, { lifetime: 3600 }),
      idpIssuer: main.idp.issuer,
      audience: main.tokenEndpoint,
      issuer: main.issuer,
      clientId: main.client.id,
    },
    "ready",
  );
  return jose;
}

export async function tokenBenchmarks(ctx) {
  const { opts, main, oidc } = ctx;
  const results = [];
  const jose = await startCeiling(ctx);
  const path = `/${TENANT}/oauth2/token`;
  const keywardAuth = basic(main.client.id, main.client.secret);

  if (ctx.selected("client-credentials")) {
    // Both answer what they are compared on: a PS256 JWT access token from the same key.
    const mine = await tokenOnce(main.tokenEndpoint, keywardAuth, "grant_type=client_credentials");
    const theirs = await tokenOnce(`${oidc.url}/token`, basic(oidc.clientId, oidc.clientSecret), "grant_type=client_credentials");
    if (mine.status !== 200 || theirs.status !== 200) throw new Error(`client_credentials: Keyward ${mine.status} ${JSON.stringify(mine.json)}, oidc-provider ${theirs.status} ${JSON.stringify(theirs.json)}`);
    const mh = decodeProtectedHeader(mine.json.access_token);
    const th = decodeProtectedHeader(theirs.json.access_token);
    if (mh.alg !== "PS256" || th.alg !== "PS256" || mh.kid !== main.activeKey.kid || th.kid !== main.activeKey.kid) {
      throw new Error(`client_credentials: the access tokens differ in key or alg (Keyward ${JSON.stringify(mh)}, oidc-provider ${JSON.stringify(th)})`);
    }
    ctx.log(`client-credentials: Keyward vs oidc-provider, ${opts.connections} connections, ${opts.loadRuns} × ${opts.duration} s; jose sign-only ceiling`);
    const base = { connections: opts.connections, duration: opts.duration, method: "POST", body: "grant_type=client_credentials" };
    const http = await rounds(
      ctx,
      {
        keyward: { ...base, url: main.server.url, path, headers: { "content-type": FORM, authorization: keywardAuth } },
        "oidc-provider": { ...base, url: oidc.url, path: "/token", headers: { "content-type": FORM, authorization: basic(oidc.clientId, oidc.clientSecret) } },
        ceiling: async () => ({ rps: (await jose.ask({ type: "round", mode: "sign", seconds: opts.duration }, "round")).rate }),
      },
      { runs: opts.loadRuns, after: (name, r) => name === "keyward" && ctx.sampleMemory(`client-credentials run ${r + 1}`) },
    );
    const ceiling = http.rates.ceiling;
    ctx.repeats.push({ name: "client-credentials", run: () => load({ ...base, url: main.server.url, path, headers: { "content-type": FORM, authorization: keywardAuth } }) });
    const vsOidc = summarize(ratios(http.rates.keyward, http.rates["oidc-provider"]));
    const vsCeiling = summarize(ratios(http.rates.keyward, ceiling));
    results.push({
      id: "client-credentials",
      name: "POST /{tenant}/oauth2/token, client_credentials, JWT access token (PS256)",
      unit: "req/s",
      keyward: summarize(http.rates.keyward),
      compared: [
        { name: "oidc-provider token endpoint (same key, JWT)", value: summarize(http.rates["oidc-provider"]), ratio: vsOidc },
        { name: "jose sign only, one core (ceiling)", value: summarize(ceiling), ratio: vsCeiling },
      ],
      targets: [
        { text: "≥ 1.0× oidc-provider", pass: vsOidc.median >= 1 },
        { text: "share of ceiling: report", pass: null },
      ],
      details: { connections: opts.connections, runs: http.details },
    });
  }

  if (ctx.selected("jwt-bearer")) {
    const assertionBody = () => `grant_type=${encodeURIComponent(JWT_BEARER)}&assertion=${main.idp.sign(main.tokenEndpoint)}`;
    // The IdP's keys go into Keyward's cache here; later requests find them there.
    const first = await tokenOnce(main.tokenEndpoint, keywardAuth, assertionBody());
    if (first.status !== 200) throw new Error(`jwt-bearer: Keyward answered ${first.status} ${JSON.stringify(first.json)}`);
    const request = (bodies) => {
      let next = 0;
      return {
        url: main.server.url,
        path,
        method: "POST",
        connections: opts.connections,
        headers: { "content-type": FORM, authorization: keywardAuth },
        // A jti is single-use: every request takes the next pre-signed assertion.
        setupRequest: (req) => {
          const body = bodies[next++];
          if (body === undefined) throw new Error("jwt-bearer: ran out of pre-signed assertions");
          return { ...req, body };
        },
      };
    };
    const sign = (n) => Array.from({ length: n }, assertionBody);
    // Size the runs from a short warm-up: about `duration` seconds each, bounded by requests.
    const warm = check("jwt-bearer (warm-up)", await load({ ...request(sign(400 + opts.connections)), amount: 400, duration: 30 }));
    const perRun = Math.max(500, Math.min(20_000, Math.round(warm.rps * opts.duration)));
    const t0 = performance.now();
    const bodies = sign((opts.loadRuns + 1) * (perRun + opts.connections));
    ctx.log(`jwt-bearer: ${bodies.length} assertions pre-signed in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${opts.loadRuns} runs × ${perRun} requests, ${opts.connections} connections; jose verify+sign ceiling`);
    const spare = bodies.splice(opts.loadRuns * (perRun + opts.connections));
    ctx.repeats.push({ name: "jwt-bearer", run: () => load({ ...request(spare), amount: perRun, duration: opts.duration * 5 }) });
    const measured = await rounds(
      ctx,
      {
        keyward: async () => check("jwt-bearer", await load({ ...request(bodies.splice(0, perRun + opts.connections)), amount: perRun, duration: opts.duration * 5 })),
        ceiling: async () => ({ rps: (await jose.ask({ type: "round", mode: "verify+sign", seconds: opts.duration }, "round")).rate }),
      },
      { runs: opts.loadRuns, after: (name, r) => name === "keyward" && ctx.sampleMemory(`jwt-bearer run ${r + 1}`) },
    );
    const keyward = measured.rates.keyward;
    const ceiling = measured.rates.ceiling;
    const runs = measured.details;
    const vsCeiling = summarize(ratios(keyward, ceiling));
    results.push({
      id: "jwt-bearer",
      name: "POST /{tenant}/oauth2/token, jwt-bearer (PS256 assertion, IdP keys cached)",
      unit: "req/s",
      keyward: summarize(keyward),
      compared: [{ name: "jose verify + sign, one core (ceiling)", value: summarize(ceiling), ratio: vsCeiling }],
      targets: [{ text: "≥ 0.5× ceiling", pass: vsCeiling.median >= 0.5 }],
      details: { connections: opts.connections, requestsPerRun: perRun, runs },
    });
  }
  await jose.stop();
  return results;
}
