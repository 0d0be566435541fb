import dns from "node:dns";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { fetchJwks, type FetchJwksOptions } from "./fetch-jwks";
import { JwksFetchError } from "./jwks-fetch-error";
import { OutboundRefused } from "./outbound-policy";
import { startSilentServer, startTestJwksServer, type TestJwksServer } from "./test-jwks-server";

const allow = ["127.0.0.1"];
let server: TestJwksServer;

beforeAll(async () => {
  server = await startTestJwksServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.behave({ kind: "jwks" });
  server.cacheControl = undefined;
  server.etags = true;
});

async function failure(uri: string, options: FetchJwksOptions = { allow }): Promise<JwksFetchError> {
  try {
    await fetchJwks(uri, options);
  } catch (error) {
    if (error instanceof JwksFetchError) return error;
    throw error;
  }
  throw new Error("expected the fetch to fail");
}

describe("fetchJwks: a good JWKS", () => {
  it("fetches over plain http from an allowed host, with the defaults", async () => {
    const result = await fetchJwks(server.jwksUrl, { allow, now: () => 1_700_000_000_000 });
    expect(result.status).toBe("ok");
    if (result.status !== "ok") return;
    expect(result.keys.map((k) => k.kid)).toEqual([server.keys[0]?.kid]);
    expect(result.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", use: "sig", alg: "ES256" });
    expect(result.etag).toMatch(/^".+"$/);
    expect(result.maxAgeSeconds).toBe(600);
    expect(result.fetchedAt).toBe(1_700_000_000_000);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.warnings).toEqual([]);
    expect(result.url).toBe(server.jwksUrl);
    expect(server.lastRequestHeaders?.["if-none-match"]).toBeUndefined();
  });

  it("revalidates with the ETag: a 304 is not-modified and is a request", async () => {
    const first = await fetchJwks(server.jwksUrl, { allow });
    const before = server.requests;
    const second = await fetchJwks(server.jwksUrl, { allow, etag: first.etag });
    expect(second.status).toBe("not-modified");
    expect(second.etag).toBe(first.etag);
    expect(server.requests).toBe(before + 1);
    expect(server.lastRequestHeaders?.["if-none-match"]).toBe(first.etag);
    await server.rotate({ keep: true });
    const third = await fetchJwks(server.jwksUrl, { allow, etag: first.etag });
    expect(third.status).toBe("ok");
    expect(third.etag).not.toBe(first.etag);
  });

  it.each([
    ["public, max-age=300", 300],
    ["max-age=5", 60],
    ["max-age=0", 60],
    ["no-store", 60],
    ["no-cache", 60],
    ["max-age=31536000, immutable", 86_400],
    ["public", 600],
  ])("honours Cache-Control %s within [60, 86400] → %i s", async (cacheControl, expected) => {
    server.cacheControl = cacheControl;
    const result = await fetchJwks(server.jwksUrl, { allow });
    expect(result.maxAgeSeconds).toBe(expected);
  });

  it("reads max-age from a 304 too", async () => {
    server.cacheControl = "max-age=120";
    const first = await fetchJwks(server.jwksUrl, { allow });
    const second = await fetchJwks(server.jwksUrl, { allow, etag: first.etag });
    expect(second).toMatchObject({ status: "not-modified", maxAgeSeconds: 120 });
  });

  it("follows up to 3 redirects, checking each hop", async () => {
    const result = await fetchJwks(`${server.origin}/redirect/2`, { allow });
    expect(result.status).toBe("ok");
    expect(result.url).toBe(server.jwksUrl);
  });

  it("drops keys that cannot verify signatures, with warnings", async () => {
    const good = server.keys[0]?.publicJwk;
    server.behave({
      kind: "body",
      body: JSON.stringify({
        keys: [
          good,
          { ...good, kid: "enc-1", use: "enc" },
          { kty: "RSA", kid: "broken", n: "AQAB" },
          { kty: "RSA", kid: "tiny", n: "AQAB", e: "AQAB" },
          { kty: "EC", kid: "wrong-alg", crv: "P-256", x: good?.x, y: good?.y, alg: "RS256" },
          { kty: "OKP", kid: "x25519", crv: "X25519", x: "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo" },
          { kid: "no-kty" },
          "not a key",
        ],
      }),
    });
    const result = await fetchJwks(server.jwksUrl, { allow });
    if (result.status !== "ok") throw new Error("expected ok");
    expect(result.keys.map((k) => k.kid)).toEqual([good?.kid]);
    expect(result.warnings).toEqual([
      'key "enc-1" is an encryption key (use "enc"); ignored',
      'key "broken" is not a valid RSA public key; ignored',
      'key "tiny" is a 17-bit RSA key (at least 2048 bits are needed); ignored',
      'key "wrong-alg" has alg RS256, which does not fit its EC P-256 key; ignored',
      'key "x25519" uses curve "X25519", which is not a signature curve; ignored',
      'key "no-kty" has no "kty"; ignored',
      "key #8 is not a JSON object; ignored",
    ]);
  });
});

describe("fetchJwks: limits and faults", () => {
  it("times out reading: read timeout", async () => {
    server.behave({ kind: "slow", delayMs: 1500 });
    const error = await failure(server.jwksUrl, { allow, readTimeoutMs: 150 });
    expect(error.code).toBe("timeout");
    expect(error.message).toBe(`the JWKS at ${server.jwksUrl} did not answer within 150 ms (read timeout)`);
  });

  it("bounds a trickling body with an overall deadline", async () => {
    server.behave({ kind: "trickle", intervalMs: 40 });
    const error = await failure(server.jwksUrl, { allow, connectTimeoutMs: 100, readTimeoutMs: 150 });
    expect(error.code).toBe("timeout");
    expect(error.message).toBe(`the JWKS at ${server.jwksUrl} did not finish answering within 400 ms`);
  });

  it("times out connecting: connect timeout (a TLS handshake that never ends)", async () => {
    const silent = await startSilentServer();
    try {
      const uri = `https://127.0.0.1:${silent.port}/jwks`;
      const error = await failure(uri, { allow, connectTimeoutMs: 150 });
      expect(error.code).toBe("timeout");
      expect(error.message).toBe(`the JWKS at ${uri} could not be reached within 150 ms (connection timeout)`);
    } finally {
      await silent.close();
    }
  });

  it.each([true, false])("refuses a body over the size limit (Content-Length declared: %s)", async (declareLength) => {
    server.behave({ kind: "oversize", bytes: 60_000, declareLength });
    const error = await failure(server.jwksUrl);
    expect(error.code).toBe("too_large");
    expect(error.message).toBe(`the JWKS at ${server.jwksUrl} is larger than 51200 bytes (the size limit)`);
    const smaller = await failure(server.jwksUrl, { allow, sizeLimitBytes: 1000 });
    expect(smaller.message).toContain("is larger than 1000 bytes");
  });

  it("reports a non-200 status", async () => {
    server.behave({ kind: "status", status: 500 });
    const error = await failure(server.jwksUrl);
    expect(error.code).toBe("http_status");
    expect(error.httpStatus).toBe(500);
    expect(error.message).toBe(`the JWKS at ${server.jwksUrl} answered HTTP 500`);
  });

  it("reports a body that is not JSON, with its content type", async () => {
    server.behave({ kind: "body", body: "<html>login</html>", contentType: "text/html; charset=utf-8" });
    const error = await failure(server.jwksUrl);
    expect(error.code).toBe("bad_json");
    expect(error.message).toMatch(new RegExp(`^the JWKS at ${server.jwksUrl} is not JSON \\(content-type text/html; charset=utf-8\\): `));
  });

  it.each([
    ["[]", 'is not a JWK Set (expected a JSON object with a "keys" array)'],
    ['{"issuer":"x"}', 'has no "keys" array'],
    ['{"keys":{}}', 'has no "keys" array'],
  ])("refuses JSON that is not a JWK Set: %s", async (body, message) => {
    server.behave({ kind: "body", body });
    const error = await failure(server.jwksUrl);
    expect(error.code).toBe("bad_jwks");
    expect(error.message).toBe(`the JWKS at ${server.jwksUrl} ${message}`);
  });

  it("refuses a JWKS with private members, naming the key", async () => {
    const good = server.keys[0]?.publicJwk;
    server.behave({
      kind: "body",
      body: JSON.stringify({ keys: [good, { ...good, kid: "leaky", d: "c2VjcmV0" }] }),
    });
    const error = await failure(server.jwksUrl);
    expect(error.code).toBe("private_key_in_jwks");
    expect(error.message).toMatch(/publishes private key material \(d\) in key "leaky"; the whole set is refused/);
    server.behave({ kind: "body", body: JSON.stringify({ keys: [{ kty: "oct", k: "c2VjcmV0" }] }) });
    expect((await failure(server.jwksUrl)).message).toContain("(k) in key #1");
  });

  it("stops after 3 redirects", async () => {
    const uri = `${server.origin}/redirect/3`;
    const error = await failure(uri);
    expect(error.code).toBe("too_many_redirects");
    expect(error.message).toBe(`the JWKS at ${uri} redirected more than 3 times`);
    expect((await fetchJwks(uri, { allow, maxRedirects: 4 })).status).toBe("ok");
  });

  it("reports a connection refused as a network error", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const uri = `http://127.0.0.1:${port}/jwks`;
    const error = await failure(uri);
    expect(error.code).toBe("network");
    expect(error.message).toMatch(new RegExp(`^the JWKS at ${uri} could not be fetched: .*ECONNREFUSED`));
  });
});

describe("fetchJwks: outbound policy", () => {
  it("requires https for hosts that are not allowed", async () => {
    const error = await failure("http://idp.example/jwks", { allow: [] });
    expect(error.code).toBe("refused_address");
    expect(error.cause).toBeInstanceOf(OutboundRefused);
    expect(error.message).toBe("jwks_uri must use https (plain http only for hosts in KEYWARD_OUTBOUND_ALLOW)");
  });

  it.each(["http://127.0.0.1/jwks", "https://10.0.0.7/jwks", "https://192.168.0.1/jwks", "https://[fe80::1]/jwks", "https://[::1]/jwks"])(
    "refuses the literal address in %s before connecting",
    async (uri) => {
      const error = await failure(uri, { allow: [] });
      expect(error.code).toBe("refused_address");
      expect(error.message).toMatch(/^jwks_uri points at .+ address; add it to KEYWARD_OUTBOUND_ALLOW to allow it$/);
    },
  );

  it("refuses the metadata address", async () => {
    const error = await failure("https://169.254.169.254/latest/meta-data/", { allow: [] });
    expect(error.message).toBe("jwks_uri points at 169.254.169.254, a link-local/metadata address; add it to KEYWARD_OUTBOUND_ALLOW to allow it");
  });

  /** A name that resolves to 127.0.0.1 (localhost itself is refused by name before any lookup). */
  function loopbackName(): string {
    const lookup = dns.lookup.bind(dns);
    vi.spyOn(dns, "lookup").mockImplementation(((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) =>
      lookup(hostname === "loopback.jwks.test" ? "127.0.0.1" : hostname, options, callback as never)) as unknown as typeof dns.lookup);
    return "loopback.jwks.test";
  }

  it("refuses a name that resolves to 127.0.0.1 when it is not allowed (checked at connect time)", async () => {
    const before = server.requests;
    const uri = `https://${loopbackName()}:${server.port}/jwks`;
    try {
      const error = await failure(uri, { allow: [] });
      expect(error.code).toBe("refused_address");
      expect(error.message).toMatch(/^jwks_uri host loopback\.jwks\.test resolves to .*127\.0\.0\.1, a loopback address.*; add it to KEYWARD_OUTBOUND_ALLOW to allow it$/);
      expect(server.requests).toBe(before);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it("refuses localhost by name, before any lookup", async () => {
    const error = await failure(`https://localhost:${server.port}/jwks`, { allow: [] });
    expect(error.code).toBe("refused_address");
    expect(error.message).toBe("jwks_uri points at localhost, a name that always means this machine (loopback); add it to KEYWARD_OUTBOUND_ALLOW to allow it");
  });

  it("reaches a host allowed by name, over http", async () => {
    const result = await fetchJwks(`http://localhost:${server.port}/jwks`, { allow: ["localhost"] });
    expect(result.status).toBe("ok");
  });

  it("refuses a redirect to the metadata address", async () => {
    const uri = `${server.origin}/redirect-to?location=${encodeURIComponent("http://169.254.169.254/latest/meta-data/")}`;
    const error = await failure(uri);
    expect(error.code).toBe("refused_address");
    expect(error.message).toBe(
      `the JWKS at ${uri} redirected to http://169.254.169.254/latest/meta-data/: redirect target points at 169.254.169.254, a link-local/metadata address; add it to KEYWARD_OUTBOUND_ALLOW to allow it`,
    );
  });

  it("refuses a redirect to a name resolving to loopback (checked when connecting)", async () => {
    // Served from 127.0.0.2 so that 127.0.0.1, where the name points, stays forbidden.
    const other = await startTestJwksServer({ host: "127.0.0.2" });
    try {
      const target = `https://${loopbackName()}:${server.port}/jwks`;
      const uri = `${other.origin}/redirect-to?location=${encodeURIComponent(target)}`;
      const before = server.requests;
      const error = await failure(uri, { allow: ["127.0.0.2"] });
      expect(error.code).toBe("refused_address");
      expect(error.message).toMatch(
        new RegExp(`^the JWKS at .+ \\(redirected to ${target}\\): jwks_uri host loopback\\.jwks\\.test resolves to .*127\\.0\\.0\\.1, a loopback address`),
      );
      expect(server.requests).toBe(before);
    } finally {
      vi.restoreAllMocks();
      await other.close();
    }
  });

  it("refuses a redirect to plain http for a host that is not allowed", async () => {
    const uri = `${server.origin}/redirect-to?location=${encodeURIComponent("http://idp.example/jwks")}`;
    const error = await failure(uri);
    expect(error.code).toBe("refused_address");
    expect(error.message).toBe(
      `the JWKS at ${uri} redirected to http://idp.example/jwks: redirect target must use https (plain http only for hosts in KEYWARD_OUTBOUND_ALLOW)`,
    );
  });
});
