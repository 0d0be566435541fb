/**
 * A small JWKS server on loopback for tests: serves real keys (and signs
 * JWTs with them), rotates them, and misbehaves on request — slow, trickling,
 * oversize, bad JSON, any status, redirect chains, redirects anywhere —
 * with Cache-Control and ETag, counting every request.
 *
 * Test-only: nothing in the application imports it.
 */
import { createHash } from "node:crypto";
import http, { type IncomingHttpHeaders } from "node:http";
import net, { type AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";

/** How `/jwks` answers. */
export type TestJwksBehaviour =
  | { kind: "jwks" }
  | { kind: "status"; status: number }
  /** Headers only after `delayMs`. */
  | { kind: "slow"; delayMs: number }
  /** Headers at once, then one byte of the JWKS every `intervalMs`. */
  | { kind: "trickle"; intervalMs: number }
  /** A JWKS-looking body of `bytes` bytes, with or without Content-Length. */
  | { kind: "oversize"; bytes: number; declareLength: boolean }
  /** Any body (bad JSON, a JWKS with private members …). */
  | { kind: "body"; body: string; contentType?: string };

export interface TestSigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface TestJwksServer {
  /** "http://127.0.0.1:<port>" (or the host asked for) */
  origin: string;
  /** `${origin}/jwks` */
  jwksUrl: string;
  port: number;
  /** Every request so far, any path. */
  readonly requests: number;
  /** Requests to one path (without query). */
  requestsTo(path: string): number;
  /** Headers of the latest request. */
  readonly lastRequestHeaders: IncomingHttpHeaders | undefined;
  /** The published keys, newest first. */
  readonly keys: readonly TestSigningKey[];
  /** Publishes a new key first; drops the others unless `keep`. */
  rotate(options?: { keep?: boolean; alg?: string; kid?: string }): Promise<TestSigningKey>;
  /** A JWT signed with the newest key (or the one named). */
  sign(claims: JWTPayload, options?: { kid?: string; omitKid?: boolean }): Promise<string>;
  /** Changes how `/jwks` answers from now on. */
  behave(behaviour: TestJwksBehaviour): void;
  /** Cache-Control of `/jwks` (undefined: none). */
  cacheControl: string | undefined;
  /** Whether `/jwks` sends an ETag and answers If-None-Match with 304. */
  etags: boolean;
  close(): Promise<void>;
}

let kidCounter = 0;

async function newKey(alg = "ES256", kid?: string): Promise<TestSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  kidCounter += 1;
  const id = kid ?? `test-key-${kidCounter}`;
  return { kid: id, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid: id, alg, use: "sig" } };
}

/**
 * Starts the server on 127.0.0.1 (or another loopback `host`, e.g.
 * 127.0.0.2, when a test needs 127.0.0.1 to stay forbidden) with one key
 * (ES256 unless `alg`).
 *
 * Paths: `/jwks` (per {@link TestJwksBehaviour}), `/redirect/<n>` (a chain of
 * n redirects ending at /jwks), `/redirect-to?location=<url>` (one 302 to
 * anywhere, e.g. http://169.254.169.254/latest/meta-data).
 *
 * @example
 * const server = await startTestJwksServer();
 * const keys = await fetchJwks(server.jwksUrl, { allow: ["127.0.0.1"] });
 * await server.close();
 */
export async function startTestJwksServer(
  options: { alg?: string; cacheControl?: string; host?: string } = {},
): Promise<TestJwksServer> {
  const host = options.host ?? "127.0.0.1";
  let keys: TestSigningKey[] = [await newKey(options.alg)];
  let behaviour: TestJwksBehaviour = { kind: "jwks" };
  let requests = 0;
  let lastRequestHeaders: IncomingHttpHeaders | undefined;
  const perPath = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const jwksBody = () => JSON.stringify({ keys: keys.map((k) => k.publicJwk) });

  const server = http.createServer((req, res) => {
    requests += 1;
    lastRequestHeaders = req.headers;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    perPath.set(url.pathname, (perPath.get(url.pathname) ?? 0) + 1);

    const redirectChain = /^\/redirect\/(\d+)$/.exec(url.pathname);
    if (redirectChain) {
      const left = Number(redirectChain[1]);
      res.writeHead(302, { location: left <= 0 ? "/jwks" : `/redirect/${left - 1}` }).end();
      return;
    }
    if (url.pathname === "/redirect-to") {
      res.writeHead(302, { location: url.searchParams.get("location") ?? "/jwks" }).end();
      return;
    }
    if (url.pathname !== "/jwks") {
      res.writeHead(404).end();
      return;
    }
    serveJwks(req, res);
  });

  function cachingHeaders(body: string): Record<string, string> {
    const headers: Record<string, string> = {};
    if (api.cacheControl !== undefined) headers["cache-control"] = api.cacheControl;
    if (api.etags) headers.etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 20)}"`;
    return headers;
  }

  function serveJwks(req: http.IncomingMessage, res: http.ServerResponse) {
    const b = behaviour;
    switch (b.kind) {
      case "status":
        res.writeHead(b.status, { "content-type": "text/plain" }).end(`status ${b.status}`);
        return;
      case "slow":
        later(b.delayMs, () => {
          if (!res.destroyed) res.writeHead(200, { "content-type": "application/json" }).end(jwksBody());
        });
        return;
      case "trickle": {
        const body = Buffer.from(jwksBody());
        res.writeHead(200, { "content-type": "application/json" });
        let sent = 0;
        const drip = () => {
          if (res.destroyed) return;
          if (sent >= body.length) {
            res.end();
            return;
          }
          res.write(body.subarray(sent, sent + 1));
          sent += 1;
          later(b.intervalMs, drip);
        };
        drip();
        return;
      }
      case "oversize": {
        const filler = "A".repeat(Math.max(0, b.bytes - 40));
        const body = JSON.stringify({ keys: [], padding: filler });
        res.writeHead(200, {
          "content-type": "application/json",
          ...(b.declareLength ? { "content-length": String(Buffer.byteLength(body)) } : {}),
        });
        // Chunked when undeclared, so only counting can catch it.
        for (let i = 0; i < body.length; i += 8192) res.write(body.slice(i, i + 8192));
        res.end();
        return;
      }
      case "body":
        res.writeHead(200, { "content-type": b.contentType ?? "application/json", ...cachingHeaders(b.body) }).end(b.body);
        return;
      case "jwks": {
        const body = jwksBody();
        const headers = cachingHeaders(body);
        if (headers.etag !== undefined && req.headers["if-none-match"] === headers.etag) {
          res.writeHead(304, headers).end();
          return;
        }
        res.writeHead(200, { "content-type": "application/jwk-set+json", ...headers }).end(body);
        return;
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;

  const api: TestJwksServer = {
    origin,
    jwksUrl: `${origin}/jwks`,
    port,
    get requests() {
      return requests;
    },
    requestsTo: (path) => perPath.get(path) ?? 0,
    get lastRequestHeaders() {
      return lastRequestHeaders;
    },
    get keys() {
      return keys;
    },
    async rotate(rotateOptions = {}) {
      const key = await newKey(rotateOptions.alg ?? options.alg, rotateOptions.kid);
      keys = rotateOptions.keep ? [key, ...keys] : [key];
      return key;
    },
    async sign(claims, signOptions = {}) {
      const key = signOptions.kid ? keys.find((k) => k.kid === signOptions.kid) : keys[0];
      if (!key) throw new Error(`no test key ${signOptions.kid ?? ""}`);
      // iat and exp default to now and now + 5 minutes; claims given win.
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: key.alg, ...(signOptions.omitKid ? {} : { kid: key.kid }) });
      if (claims.iat === undefined) jwt.setIssuedAt();
      if (claims.exp === undefined) jwt.setExpirationTime("5m");
      return jwt.sign(key.privateKey);
    },
    behave(next) {
      behaviour = next;
    },
    cacheControl: options.cacheControl,
    etags: true,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}

/**
 * A TCP server that accepts connections and never says a word: a TLS
 * handshake against it hangs, which is how a connect timeout is tested on
 * loopback.
 *
 * @example
 * const silent = await startSilentServer();
 * await fetchJwks(`https://127.0.0.1:${silent.port}/jwks`, { allow: ["127.0.0.1"], connectTimeoutMs: 200 });
 */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
