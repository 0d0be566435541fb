/**
 * Property-based fuzzing of the parsers that read what the outside world
 * sends, with random and mutated input: each may refuse, but only with its
 * documented error type (never a TypeError, a RangeError or a stack
 * overflow), and what it accepts obeys its rules.
 */
import { generateKeyPairSync } from "node:crypto";
import { isIP } from "node:net";
import fc from "fast-check";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { KeyInputError } from "@/lib/crypto/key-input-error";
import { splitPemBlocks } from "@/lib/crypto/pem-blocks";
import { parseCertificateChain } from "@/lib/crypto/parse-certificate-chain";
import { parsePrivateKey } from "@/lib/crypto/parse-private-key";
import { decodeCompactJws, JwsFormatError } from "@/lib/crypto/decode-jws";
import { certificatesJwks, inlineJwks } from "@/lib/idps/key-sources";
import { validateJwks } from "@/lib/jwks-fetch/validate-jwks";
import { JwksFetchError } from "@/lib/jwks-fetch/jwks-fetch-error";
import { publicJwkProblem } from "@/lib/jwks-fetch/public-jwk-problem";
import { checkOutboundUrl, forbiddenAddressReason, OutboundRefused } from "@/lib/jwks-fetch/outbound-policy";
import { verifyAssertion } from "@/lib/idps/verify-assertion";
import { parseTokenForm } from "@/lib/protocol/token-endpoint";
import { OAuthError } from "@/lib/protocol/client-auth";
import { armour, buildCertificate } from "../corpus/certificates";
import { budget, FUZZ_TIMEOUT_MS, mutated } from "./budget";

/** Runs `fn`; a throw must be one of `allowed`, anything else fails the property. */
async function onlyThrows(fn: () => unknown, allowed: (e: unknown) => boolean): Promise<unknown> {
  try {
    return await fn();
  } catch (error) {
    if (!allowed(error)) throw new Error(`undocumented error ${(error as Error)?.name}: ${(error as Error)?.message}`, { cause: error });
    return undefined;
  }
}

const certPem = armour(buildCertificate());
const keyPem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const isKeyInput = (e: unknown) => e instanceof KeyInputError;

describe("PEM, certificate and private key parsing", () => {
  it("splitPemBlocks throws only KeyInputError", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    await fc.assert(fc.asyncProperty(mutated([certPem, keyPem, certPem + certPem]), async (text) => {
        await onlyThrows(() => splitPemBlocks(text, "certificatePem"), isKeyInput);
      }), budget());
  });
  it("parseCertificateChain throws only KeyInputError", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    await fc.assert(fc.asyncProperty(mutated([certPem, certPem + certPem]), async (text) => {
        await onlyThrows(() => parseCertificateChain(text), isKeyInput);
      }), budget());
  });
  it("certificate bytes flipped anywhere are refused or read, never crash", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    const der = buildCertificate();
    await fc.assert(
      fc.asyncProperty(fc.nat(der.length - 1), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const copy = Buffer.from(der);
        copy[at] = copy[at]! ^ xor;
        await onlyThrows(() => parseCertificateChain(armour(copy)), isKeyInput);
        await onlyThrows(() => certificatesJwks(armour(copy)), isAppError);
      }),
      budget(),
    );
  });
  it("parsePrivateKey throws only KeyInputError", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    await fc.assert(fc.asyncProperty(mutated([keyPem]), fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), async (text, passphrase) => {
        await onlyThrows(() => parsePrivateKey(text, passphrase), isKeyInput);
      }), budget());
  });
});

describe("JWK validation", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" }) as Record<string, unknown>;
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }) as Record<string, unknown>;
  const member = fc.constantFrom("kty", "kid", "use", "alg", "key_ops", "n", "e", "crv", "x", "y", "x5c", "d", "k", "oth");
  const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom("RSA", "EC", "OKP", "oct", "P-256", "Ed25519", "X25519", "PS256", "none", "sig", "enc", "AQAB"));
  const jwk = fc.oneof(
    fc.dictionary(member, value, { maxKeys: 8 }),
    fc.tuple(fc.constantFrom(rsa, ec), fc.dictionary(member, value, { maxKeys: 3 })).map(([base, over]) => ({ ...base, ...over })),
  );
  it("inlineJwks throws only a 400 AppError naming a key, and keeps public members only", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jwk, { minLength: 1, maxLength: 3 }), async (keys) => {
        const result = (await onlyThrows(() => inlineJwks({ keys }), (e) => isAppError(e) && e.status === 400 && /^jwks\.keys\.\d/.test(e.fieldErrors[0]?.path ?? ""))) as { keys: Record<string, unknown>[] } | undefined;
        for (const k of result?.keys ?? []) for (const m of ["d", "p", "q", "dp", "dq", "qi", "k", "oth"]) expect(k).not.toHaveProperty(m);
      }),
      budget(),
    );
  });
  it("publicJwkProblem never throws; validateJwks throws only JwksFetchError", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(jwk, fc.jsonValue({ maxDepth: 3 }), async (one, document) => {
        publicJwkProblem(one, "the IdP's");
        await onlyThrows(() => validateJwks({ keys: [one] }, "https://idp.example/jwks"), (e) => e instanceof JwksFetchError);
        await onlyThrows(() => validateJwks(document, "https://idp.example/jwks"), (e) => e instanceof JwksFetchError);
      }),
      budget(),
    );
  });
});

describe("JWT header and claims checks", () => {
  let good: string;
  let idp: Parameters<typeof verifyAssertion>[1];
  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const now = Math.floor(Date.now() / 1000);
    good = await new SignJWT({ iss: "https://idp.example", sub: "u", aud: "https://as.example/token", iat: now, exp: now + 300, jti: "j" }).setProtectedHeader({ alg: "ES256", kid: "k" }).sign(privateKey);
    idp = {
      name: "https://idp.example",
      audience: "https://as.example/token",
      allowedAlgs: ["ES256", "PS256"],
      clockSkewSeconds: 60,
      maxAssertionLifetimeSeconds: 3600,
      refuseJtiReuse: true,
      keySource: "jwks",
      jwksUri: null,
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: "k", alg: "ES256" }] },
      fetch: { connectTimeoutMs: 1000, readTimeoutMs: 1000, sizeLimitBytes: 51_200 },
    };
  });
  const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
  const forged = fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 20 })).map(([h, p, s]) => `${b64(h)}.${b64(p)}.${b64(s)}`);
  it("decodeCompactJws throws only JwsFormatError and answers objects", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated([good]), forged), async (jwt) => {
        const decoded = (await onlyThrows(() => decodeCompactJws(jwt), (e) => e instanceof JwsFormatError)) as ReturnType<typeof decodeCompactJws> | undefined;
        if (decoded) {
          expect(typeof decoded.header === "object" && !Array.isArray(decoded.header)).toBe(true);
          expect(typeof decoded.payload === "object" && !Array.isArray(decoded.payload)).toBe(true);
        }
      }),
      budget(),
    );
  });
  it("verifyAssertion never throws, and accepts nothing but the good JWT", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    expect((await verifyAssertion(good, idp)).valid).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated([good]), forged), async (jwt) => {
        const result = await verifyAssertion(jwt, idp);
        if (jwt !== good) expect(result.valid, jwt).toBe(false);
        if (!result.valid) expect(result.error).toMatch(/^(format|alg|header|iss|kid|signature|aud|exp|nbf|iat|lifetime|sub): /);
      }),
      budget(200),
    );
  });
});

describe("the outbound URL policy", () => {
  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join("."));
  const host = fc.oneof(
    ipv4,
    ipv4.map((ip) => `[::ffff:${ip}]`),
    fc.nat().map((n) => String(n)),
    fc.nat().map((n) => `0x${n.toString(16)}`),
    fc.constantFrom("localhost", "localhost.", "a.localhost", "[::1]", "[fe80::1]", "[::]", "idp.example", "idp.example.", "169.254.169.254", "0177.1", "[64:ff9b::a9fe:a9fe]"),
    fc.domain(),
  );
  const url = fc.oneof(
    fc.tuple(fc.constantFrom("https://", "http://", "ftp://", "HTTPS://", "https:/", "//"), fc.option(fc.constantFrom("user@", "a:b@", "good.example@"), { nil: "" }), host, fc.option(fc.integer({ min: 0, max: 70000 }).map((p) => `:${p}`), { nil: "" }), fc.webPath()).map((parts) => parts.join("")),
    fc.webUrl(),
    mutated(["https://idp.example/jwks", "http://169.254.169.254/latest", "https://[::ffff:127.0.0.1]/"]),
  );
  it("refuses only with OutboundRefused, and never lets a forbidden literal address or localhost through", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(url, async (u) => {
        const accepted = (await onlyThrows(() => checkOutboundUrl(u, { allow: [] }), (e) => e instanceof OutboundRefused)) as URL | undefined;
        if (!accepted) return;
        expect(accepted.protocol).toBe("https:");
        expect(accepted.username + accepted.password).toBe("");
        const hostname = accepted.hostname.replace(/^\[|\]$/g, "");
        if (isIP(hostname) !== 0) expect(forbiddenAddressReason(hostname, []), u).toBeNull();
        expect(/(^|\.)localhost\.?$/i.test(hostname), u).toBe(false);
      }),
      budget(1000),
    );
  });
});

describe("the token endpoint's form parsing", () => {
  const pair = fc.tuple(fc.constantFrom("grant_type", "scope", "assertion", "client_assertion", "client_id", "grant%5Ftype", "a"), fc.string({ maxLength: 10 })).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  const form = fc.oneof(fc.array(pair, { maxLength: 6 }).map((p) => p.join("&")), fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }));
  it("refuses a repeated parameter with invalid_request and nothing else", { timeout: FUZZ_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(form, async (body) => {
        const params = (await onlyThrows(() => parseTokenForm(body), (e) => e instanceof OAuthError && e.error === "invalid_request" && e.status === 400 && /is repeated/.test(e.message))) as URLSearchParams | undefined;
        const keys = [...new URLSearchParams(body).keys()];
        expect(params === undefined, body).toBe(new Set(keys).size !== keys.length);
      }),
      budget(1000),
    );
  });
});
