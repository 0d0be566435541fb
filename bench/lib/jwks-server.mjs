/**
 * The loopback identity provider of the benchmarks: publishes RSA keys at
 * /jwks (Cache-Control max-age), signs PS256 assertions with them, rotates,
 * answers any status on demand, and records the time of every JWKS request,
 * which is what the storm and rollover benchmarks count.
 */
import http from "node:http";
import { assertion, rsaKey } from "./pki.mjs";

export async function startJwksServer({ host = "127.0.0.2", maxAgeSeconds = 300, issuer } = {}) {
  let keys = [rsaKey()];
  let status = 200;
  const fetches = [];
  const server = http.createServer((req, res) => {
    if (!req.url?.startsWith("/jwks")) {
      res.writeHead(404).end();
      return;
    }
    fetches.push(performance.now());
    if (status !== 200) {
      res.writeHead(status, { "content-type": "text/plain" }).end(`status ${status}`);
      return;
    }
    const body = JSON.stringify({ keys: keys.map((k) => k.publicJwk) });
    res.writeHead(200, { "content-type": "application/json", "cache-control": `public, max-age=${maxAgeSeconds}` }).end(body);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(0, host, resolve));
  const { port } = server.address();
  const origin = `http://${host}:${port}`;
  return {
    origin,
    jwksUrl: `${origin}/jwks`,
    issuer: issuer ?? origin,
    get keys() {
      return keys;
    },
    /** performance.now() of every /jwks request so far. */
    fetches,
    /** JWKS requests in [from, to) (performance.now() times). */
    fetchesBetween: (from, to) => fetches.filter((t) => t >= from && t < to).length,
    /** Publishes a new key first (keeping the others with `keep`) and answers it. */
    rotate({ keep = true } = {}) {
      const key = rsaKey();
      keys = keep ? [key, ...keys] : [key];
      return key;
    },
    /** From now on /jwks answers this status (200: the keys). */
    answer(code) {
      status = code;
    },
    /** An assertion signed with the newest key (or `key`). */
    sign(audience, key = keys[0], extra = {}) {
      return assertion(key, { issuer: issuer ?? origin, audience, ...extra });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The same identity provider in its own process (bench/servers/idp.mjs), for
 * the storm and rollover benchmarks: the harness drives hundreds of
 * connections meanwhile, and the IdP must still answer on time. Times are
 * epoch ms (performance.timeOrigin + performance.now()) in both processes.
 */
export async function startIdpProcess(ctx, { name = "idp", maxAgeSeconds = 3600 } = {}) {
  const { startChild } = await import("./child.mjs");
  const { keyFromPem, assertion } = await import("./pki.mjs");
  const child = startChild("servers/idp.mjs", { logDir: ctx.tmp, name });
  ctx.closers.push(() => child.stop());
  const started = await child.ask({ type: "start", maxAgeSeconds }, "started");
  let keys = started.keys.map((k) => keyFromPem(k.privateKeyPem, k.kid));
  const issuer = started.origin;
  return {
    origin: started.origin,
    jwksUrl: started.jwksUrl,
    issuer,
    get keys() {
      return keys;
    },
    sign: (audience, key = keys[0], extra = {}) => assertion(key, { issuer, audience, ...extra }),
    /** Publishes a new key first (the old ones stay); answers when it was published (epoch ms). */
    async rotate() {
      const answer = await child.ask({ type: "rotate", keep: true }, "rotated");
      keys = answer.keys.map((k) => keyFromPem(k.privateKeyPem, k.kid));
      return answer.at;
    },
    answer: (status) => child.ask({ type: "answer", status }, "answering"),
    /** Epoch ms of every JWKS request so far. */
    fetchTimes: async () => (await child.ask({ type: "fetches" }, "fetches")).times,
    close: () => child.stop(),
  };
}

/** Epoch ms now, with sub-ms precision (comparable with startIdpProcess times). */
export const epochNow = () => performance.timeOrigin + performance.now();
