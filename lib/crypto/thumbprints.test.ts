import { describe, expect, it } from "vitest";
import { certificateDetails } from "./certificate-details";
import { hexToBase64url, setUpOpensslFixtures } from "./test-openssl-fixtures";
import { jwkThumbprint, x5t, x5tS256 } from "./thumbprints";

const fx = setUpOpensslFixtures((f) => f.selfSignedP256());

// RFC 7638 §3.1.
const RFC7638_JWK = {
  kty: "RSA",
  n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
  e: "AQAB",
  alg: "RS256",
  kid: "2011-04-29",
};

describe("jwkThumbprint", () => {
  it("computes the RFC 7638 §3.1 example", async () => {
    expect(await jwkThumbprint(RFC7638_JWK)).toBe("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  });

  it("ignores members outside the required set", async () => {
    const { alg: _alg, kid: _kid, ...bare } = RFC7638_JWK;
    void _alg;
    void _kid;
    expect(await jwkThumbprint({ ...bare, use: "sig", x5t: "whatever" })).toBe("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  });
});

describe("x5t / x5tS256", () => {
  it("equal openssl's SHA-1 / SHA-256 fingerprints in base64url", () => {
    const der = fx.der("self-p256.pem");
    expect(x5t(der)).toBe(hexToBase64url(fx.fingerprint("self-p256.pem", "sha1")));
    expect(x5tS256(der)).toBe(hexToBase64url(fx.fingerprint("self-p256.pem", "sha256")));
    expect(x5t(der)).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(x5tS256(der)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // And the details show the same fingerprints in openssl's own format.
    expect(certificateDetails(der).sha1Fingerprint).toBe(fx.fingerprint("self-p256.pem", "sha1"));
  });
});
