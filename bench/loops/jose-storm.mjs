/**
 * jose's own remote JWKS set (createRemoteJWKSet, defaults: 30 s cooldown)
 * under the storm Keyward gets in the same run: `concurrency` verifications
 * at a time of assertions whose kids the IdP does not have, right after the
 * set was filled, for `windows` × `windowSeconds`; with the upstream healthy
 * or answering 500. Counts the fetches at its own loopback IdP.
 */
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { childMain } from "../lib/child.mjs";
import { startJwksServer } from "../lib/jwks-server.mjs";
import { rsaKey, signPs256 } from "../lib/pki.mjs";

childMain(async (msg) => {
  if (msg.type !== "storm") return;
  const audience = "https://as.bench.example/token";
  const idp = await startJwksServer({ host: "127.0.0.2", maxAgeSeconds: 300 });
  const jwks = createRemoteJWKSet(new URL(idp.jwksUrl));
  const options = { algorithms: ["PS256"], issuer: idp.issuer, audience };
  await jwtVerify(idp.sign(audience), jwks, options);
  const filledFetches = idp.fetches.length;
  if (msg.upstream !== 200) idp.answer(msg.upstream);
  const stranger = rsaKey();
  const now = Math.floor(Date.now() / 1000);
  const tokens = Array.from({ length: 1000 }, (_, i) =>
    signPs256({ iss: idp.issuer, sub: "storm", aud: audience, iat: now, exp: now + 3600, jti: `storm-${i}` }, { ...stranger, kid: `unknown-${i}` }),
  );
  process.send({ type: "started" });
  const started = performance.now();
  const until = started + msg.windows * msg.windowSeconds * 1000;
  let verifications = 0;
  let next = 0;
  const worker = async () => {
    while (performance.now() < until) {
      try {
        await jwtVerify(tokens[next++ % tokens.length], jwks, options);
      } catch {
        // refused: the point of the storm
      }
      verifications += 1;
      // Let the loopback IdP (same process) and the timers run.
      await yieldToLoop();
    }
  };
  await Promise.all(Array.from({ length: msg.concurrency }, worker));
  const windows = Array.from({ length: msg.windows }, (_, i) =>
    idp.fetchesBetween(started + i * msg.windowSeconds * 1000, started + (i + 1) * msg.windowSeconds * 1000),
  );
  const during = idp.fetches.filter((t) => t >= started && t < until);
  const gaps = during.slice(1).map((t, i) => t - during[i]);
  await idp.close();
  process.send({ type: "result", windows, fetchesToFill: filledFetches, verifications, minGapMs: gaps.length ? Math.min(...gaps) : null });
});
