/**
 * jose's remote JWKS set (createRemoteJWKSet, defaults) when the IdP starts
 * signing with a new key right after the set was filled: seconds until the
 * new key's JWTs verify, polling every `pollMs`. Trials run side by side
 * (each its own IdP and set): the figure is a wait, not a rate.
 */
import { createRemoteJWKSet, jwtVerify } from "jose";
import { childMain } from "../lib/child.mjs";
import { startJwksServer } from "../lib/jwks-server.mjs";

async function trial({ pollMs, timeoutSeconds }) {
  const audience = "https://as.bench.example/token";
  const idp = await startJwksServer({ host: "127.0.0.2", maxAgeSeconds: 300 });
  const jwks = createRemoteJWKSet(new URL(idp.jwksUrl));
  const options = { algorithms: ["PS256"], issuer: idp.issuer, audience };
  try {
    await jwtVerify(idp.sign(audience), jwks, options);
    idp.rotate({ keep: true });
    const rotated = performance.now();
    while (performance.now() - rotated < timeoutSeconds * 1000) {
      try {
        await jwtVerify(idp.sign(audience), jwks, options);
        return { seconds: (performance.now() - rotated) / 1000, fetches: idp.fetches.length };
      } catch {
        await new Promise((r) => setTimeout(r, pollMs));
      }
    }
    return { seconds: null, fetches: idp.fetches.length };
  } finally {
    await idp.close();
  }
}

childMain(async (msg) => {
  if (msg.type !== "rollover") return;
  const results = await Promise.all(Array.from({ length: msg.trials }, () => trial(msg)));
  process.send({ type: "result", trials: results });
});
