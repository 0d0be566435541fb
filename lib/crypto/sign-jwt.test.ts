import { decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { publicJwk } from "./public-jwk";
import { signJwt } from "./sign-jwt";
import { SIGNING_ALGS, type SigningAlg } from "./signing-algorithms";

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const KEYS: Record<SigningAlg, KeyObject> = {
  PS256: rsa,
  RS256: rsa,
  ES256: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey,
  ES384: generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey,
  EdDSA: generateKeyPairSync("ed25519").privateKey,
};

describe("signJwt", () => {
  it.each(SIGNING_ALGS)("signs %s JWTs that verify against the public JWK and carry the kid", async (alg) => {
    const kid = `kid-${alg}`;
    const now = Math.floor(Date.now() / 1000);
    const jwt = await signJwt({
      privateKey: KEYS[alg],
      alg,
      kid,
      claims: { iss: "https://keyward.example/default", sub: "client-1", aud: "rp", iat: now, exp: now + 60 },
      typ: "at+jwt",
    });
    const jwk = publicJwk(KEYS[alg], { alg, kid });
    const { payload, protectedHeader } = await jwtVerify(jwt, await importJWK(jwk, alg), {
      issuer: "https://keyward.example/default",
      audience: "rp",
      typ: "at+jwt",
    });
    expect(protectedHeader).toEqual({ alg, kid, typ: "at+jwt" });
    expect(payload.sub).toBe("client-1");
  });

  it("leaves typ out when not given", async () => {
    const jwt = await signJwt({ privateKey: KEYS.ES256, alg: "ES256", kid: "k", claims: { a: 1 } });
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "ES256", kid: "k" });
  });
});
