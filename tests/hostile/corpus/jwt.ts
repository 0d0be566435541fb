/**
 * Hostile JWTs: made from a real signer and good claims, with one fault
 * each. `says` is what every endpoint's answer must name (the token
 * endpoint's error_description, the tester's failed check, DCR's rule).
 */
import { CompactSign, SignJWT, type JWTPayload } from "jose";
import type { KeyObject } from "node:crypto";

export interface JwtSigner {
  privateKey: CryptoKey | KeyObject;
  alg: string;
  kid: string;
  /** The signer's public key as PEM (for the HS256-with-the-public-key case). */
  publicPem: string;
}

export interface JwtCase {
  name: string;
  make: (claims: JWTPayload, signer: JwtSigner) => Promise<string>;
  says: RegExp;
  /** Only claims-level faults need the claims to be otherwise right; these skip DCR (whose claims come from an SSA). */
  claimsLevel?: boolean;
}

const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const sign = (claims: JWTPayload, s: JwtSigner, header: Record<string, unknown> = {}) =>
  new SignJWT(claims).setProtectedHeader({ alg: s.alg, kid: s.kid, ...header }).sign(s.privateKey);
/** Signs arbitrary bytes as the payload (what SignJWT would refuse to make). */
const signRaw = (payload: Uint8Array, s: JwtSigner, header: Record<string, unknown> = {}) =>
  new CompactSign(payload).setProtectedHeader({ alg: s.alg, kid: s.kid, ...header }).sign(s.privateKey);
const now = () => Math.floor(Date.now() / 1000);

export function jwtCases(): JwtCase[] {
  return [
    { name: "alg none, no signature", make: async (c) => `${b64({ alg: "none" })}.${b64(c)}.`, says: /no signature|unsecured/ },
    { name: "alg none with a signature part", make: async (c, s) => `${b64({ alg: "none", kid: s.kid })}.${b64(c)}.${b64("sig")}`, says: /none/ },
    {
      name: "HS256 keyed with the signer's public key",
      make: (c, s) => new SignJWT(c).setProtectedHeader({ alg: "HS256", kid: s.kid }).sign(new TextEncoder().encode(s.publicPem)),
      says: /HS256/,
    },
    { name: "a jku header", make: (c, s) => sign(c, s, { jku: "https://evil.example/jwks" }), says: /the header carries jku: keys named by the JWT itself are never used/ },
    { name: "an x5u header", make: (c, s) => sign(c, s, { x5u: "https://evil.example/cert.pem" }), says: /the header carries x5u/ },
    { name: "a jwk header", make: (c, s) => sign(c, s, { jwk: { kty: "EC", crv: "P-256", x: "AA", y: "AA" } }), says: /the header carries jwk/ },
    { name: "an x5c header", make: (c, s) => sign(c, s, { x5c: ["MIIB"] }), says: /the header carries x5c/ },
    { name: "jku and x5u together", make: (c, s) => sign(c, s, { jku: "https://a.example", x5u: "https://b.example" }), says: /the header carries jku, x5u/ },
    {
      name: "an unknown crit extension",
      make: (c, s) => new SignJWT(c).setProtectedHeader({ alg: s.alg, kid: s.kid, crit: ["x-bank"], "x-bank": 1 }).sign(s.privateKey, { crit: { "x-bank": true } }),
      says: /marks \["x-bank"\] as critical/,
    },
    { name: "crit naming a registered header", make: (c, s) => signRaw(new TextEncoder().encode(JSON.stringify(c)), s, { crit: ["exp"] }).catch(() => `${b64({ alg: s.alg, kid: s.kid, crit: ["exp"] })}.${b64(c)}.${b64("x")}`), says: /critical/ },
    { name: "a nested JWT (cty JWT)", make: async (c, s) => signRaw(new TextEncoder().encode(await sign(c, s)), s, { cty: "JWT" }), says: /cty "JWT": nested JWTs are not accepted|payload is not valid JSON/ },
    { name: "a payload of 1 MB", make: (c, s) => sign({ ...c, pad: "x".repeat(1_048_576) }, s), says: /larger than|too big|too large|at most/i },
    { name: "a non-base64url character in the header", make: async (c, s) => `${b64({ alg: s.alg, kid: s.kid }).slice(0, -2)}+/.${b64(c)}.${b64("sig")}`, says: /not base64url: it contains "[+/]"/ },
    { name: "padding on the payload", make: async (c, s) => { const [h, p, g] = (await sign(c, s)).split("."); return `${h}.${p}==.${g}`; }, says: /contains "=" \(base64url in a JWS has no padding\)/ },
    { name: "a header that is not UTF-8", make: async (c) => `${Buffer.from([0x7b, 0x22, 0x61, 0x6c, 0x67, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString("base64url")}.${b64(c)}.${b64("sig")}`, says: /the header is not UTF-8 text/ },
    { name: "a payload that is not UTF-8", make: (c, s) => signRaw(Buffer.concat([Buffer.from('{"iss":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), s), says: /the payload is not UTF-8 text/ },
    { name: "a payload that is a JSON array", make: (c, s) => signRaw(new TextEncoder().encode(JSON.stringify([c])), s), says: /the payload is a JSON array, not a JSON object/ },
    { name: "a payload that is a JSON string", make: (c, s) => signRaw(new TextEncoder().encode('"hello"'), s), says: /the payload is a JSON string, not a JSON object/ },
    { name: "a payload that is null", make: (c, s) => signRaw(new TextEncoder().encode("null"), s), says: /the payload is null, not a JSON object/ },
    { name: "a payload that is not JSON", make: (c, s) => signRaw(new TextEncoder().encode("iss=me"), s), says: /the payload is not valid JSON/ },
    { name: "two parts", make: async (c, s) => (await sign(c, s)).split(".").slice(0, 2).join("."), says: /three dot-separated parts; this has 2/ },
    { name: "five parts (a JWE shape)", make: async (c, s) => `${await sign(c, s)}.AA.BB`, says: /three dot-separated parts; this has 5/ },
    { name: "the payload's iss twice", make: (c, s) => signRaw(new TextEncoder().encode(`{"iss":"someone-else",${JSON.stringify(c).slice(1)}`), s), says: /the member "iss" appears twice/ },
    { name: "the header's alg twice", make: async (c, s) => `${b64(`{"alg":"none","alg":"${s.alg}","kid":"${s.kid}"}`)}.${b64(c)}.${b64("sig")}`, says: /the member "alg" appears twice/ },
    { name: "a header nested 10 000 levels", make: async (c) => `${b64(`{"alg":${"[".repeat(10_000)}${"]".repeat(10_000)}}`)}.${b64(c)}.${b64("sig")}`, says: /nested more than 64 levels deep|larger than|too big/i },
    { name: "expired an hour ago", make: (c, s) => sign({ ...c, iat: now() - 7200, exp: now() - 3600 }, s), says: /exp/, claimsLevel: true },
    { name: "not valid for another hour", make: (c, s) => sign({ ...c, nbf: now() + 3600 }, s), says: /nbf/, claimsLevel: true },
    { name: "issued in the future", make: (c, s) => sign({ ...c, iat: now() + 3600, exp: now() + 3700 }, s), says: /iat|issued in the future/, claimsLevel: true },
    { name: "an exp past any date", make: (c, s) => sign({ ...c, exp: 1e300 }, s), says: /exp|lifetime|lives/, claimsLevel: true },
    { name: "exp as a string", make: (c, s) => sign({ ...c, exp: String(now() + 60) as unknown as number }, s), says: /exp/, claimsLevel: true },
    { name: "a wrong aud", make: (c, s) => sign({ ...c, aud: "https://another-bank.example/token" }, s), says: /aud/, claimsLevel: true },
    { name: "a wrong iss", make: (c, s) => sign({ ...c, iss: "https://someone-else.example" }, s), says: /iss|no client|no identity provider/, claimsLevel: true },
    // String() throws on these: the answer must still name the claim, not be a 500.
    { name: "iss an object without toString", make: (c, s) => sign({ ...c, iss: { toString: null } as unknown as string }, s), says: /iss|no client|no identity provider|client_id/, claimsLevel: true },
    { name: "jti an object without toString", make: (c, s) => sign({ ...c, jti: { toString: null, valueOf: null } as unknown as string }, s), says: /jti/, claimsLevel: true },
  ];
}
