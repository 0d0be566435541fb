/**
 * The ceilings of the token benchmarks: what `jose` does in one process, one
 * operation after the other (a single core): verify the jwt-bearer assertion
 * and sign the access token ("verify+sign"), or sign only ("sign"), with
 * the same keys, algorithm and claims as Keyward. Keys are imported once.
 */
import { randomUUID } from "node:crypto";
import { importJWK, importPKCS8, jwtVerify, SignJWT } from "jose";
import { childMain } from "../lib/child.mjs";

let setup;

childMain(async (msg) => {
  if (msg.type === "setup") {
    setup = {
      ...msg,
      signingKey: await importPKCS8(msg.tenantKeyPem, "PS256"),
      idpKey: msg.idpJwk ? await importJWK(msg.idpJwk, "PS256") : null,
    };
    process.send({ type: "ready" });
    return;
  }
  if (msg.type !== "round") return;
  const s = setup;
  const once = async () => {
    let sub = "client";
    if (msg.mode === "verify+sign") {
      const { payload } = await jwtVerify(s.assertion, s.idpKey, { algorithms: ["PS256"], issuer: s.idpIssuer, audience: s.audience, clockTolerance: 60 });
      sub = payload.sub;
    }
    const now = Math.floor(Date.now() / 1000);
    await new SignJWT({ iss: s.issuer, sub, aud: s.issuer, client_id: s.clientId, jti: randomUUID(), iat: now, exp: now + 300 })
      .setProtectedHeader({ alg: "PS256", kid: s.tenantKid, typ: "at+jwt" })
      .sign(s.signingKey);
  };
  // Warm up, then count operations for `seconds`.
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) await once();
  let n = 0;
  const started = performance.now();
  const until = started + msg.seconds * 1000;
  while (performance.now() < until) {
    await once();
    n += 1;
  }
  process.send({ type: "round", rate: n / ((performance.now() - started) / 1000), operations: n });
});
