/**
 * A loopback identity provider in a process of its own (bench/lib/jwks-server.mjs),
 * so its JWKS answers on time while the harness's own process is busy driving
 * a load. The harness signs the assertions itself with the private keys this
 * process hands over; what it asks back is the time of every JWKS request.
 */
import { childMain } from "../lib/child.mjs";
import { startJwksServer } from "../lib/jwks-server.mjs";

let idp;
const keyOf = (k) => ({ kid: k.kid, privateKeyPem: k.privateKeyPem });
/** Epoch ms with sub-ms precision: comparable across processes. */
const epoch = (t) => performance.timeOrigin + t;

childMain(async (msg) => {
  switch (msg.type) {
    case "start":
      idp = await startJwksServer({ host: "127.0.0.2", maxAgeSeconds: msg.maxAgeSeconds ?? 3600 });
      process.send({ type: "started", origin: idp.origin, jwksUrl: idp.jwksUrl, keys: idp.keys.map(keyOf) });
      return;
    case "rotate":
      idp.rotate({ keep: msg.keep ?? true });
      process.send({ type: "rotated", at: epoch(performance.now()), keys: idp.keys.map(keyOf) });
      return;
    case "answer":
      idp.answer(msg.status);
      process.send({ type: "answering" });
      return;
    case "fetches":
      process.send({ type: "fetches", times: idp.fetches.map(epoch) });
      return;
  }
});
