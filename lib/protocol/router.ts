import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "@/lib/log";
import { discoverySnapshot } from "@/lib/protocol/discovery";
import { jwksSnapshot, protocolError } from "@/lib/protocol/jwks";
import { tokenEndpoint } from "@/lib/protocol/token-endpoint";
import { registrationEndpoint } from "@/lib/dcr/registration-endpoint";
import { peekSnapshot, type Snapshot } from "@/lib/protocol/published-state";
import { env } from "@/lib/env";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { sameSecret } from "@/lib/auth/secret-token";
import { metrics, type PublicEndpoint } from "@/lib/observability/metrics";
import { currentRequest, requestIdFrom, withRequest } from "@/lib/observability/request-context";

/**
 * The public protocol endpoints, answered before Next's pipeline: they are the
 * hot path (every relying party, gateway and token verification fetches them).
 * Plain node:http, a few routes, answers from in-memory snapshots.
 */
const SLUG = "[a-z0-9][a-z0-9_-]{1,62}";
const ROUTES: { endpoint: PublicEndpoint; pattern: RegExp; cacheKey: (m: RegExpExecArray) => string; answer: (m: RegExpExecArray) => Promise<Snapshot> }[] = [
  { endpoint: "jwks", pattern: new RegExp(`^/(${SLUG})/oauth2/v1/certs/?$`), cacheKey: () => "jwks:", answer: (m) => jwksSnapshot(m[1]!) },
  {
    endpoint: "jwks_app",
    pattern: new RegExp(`^/(${SLUG})/oauth2/v1/certs/app/([^/]{1,200})/?$`),
    cacheKey: (m) => `jwks:${decode(m[2]!)}`,
    answer: (m) => jwksSnapshot(m[1]!, decode(m[2]!)),
  },
  { endpoint: "discovery", pattern: new RegExp(`^/(${SLUG})/\\.well-known/openid-configuration/?$`), cacheKey: () => "discovery", answer: (m) => discoverySnapshot(m[1]!) },
];

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const BASE_HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
};

/** RFC 9110 §13.1.2: does If-None-Match name this representation? */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

// The response headers of a snapshot, flattened once per snapshot: writing a
// prepared array is measurably cheaper than building an object per request.
const prepared = new WeakMap<Snapshot, { full: string[]; notModified: string[] }>();

function headersOf(snap: Snapshot): { full: string[]; notModified: string[] } {
  let h = prepared.get(snap);
  if (!h) {
    const base: Record<string, string> = { ...BASE_HEADERS, ...snap.headers };
    if (snap.status === 200) base.etag = snap.etag;
    const { "content-type": _type, ...rest } = base;
    void _type;
    h = {
      full: Object.entries({ ...base, "content-length": String(snap.body.length) }).flat(),
      notModified: Object.entries(rest).flat(),
    };
    prepared.set(snap, h);
  }
  return h;
}

/** Writes a snapshot (304 when the client has it); answers the status written. */
function send(req: IncomingMessage, res: ServerResponse, snap: Snapshot): number {
  const headers = headersOf(snap);
  if (snap.status === 200 && etagMatches(req.headers["if-none-match"], snap.etag)) {
    res.writeHead(304, headers.notModified);
    res.end();
    return 304;
  }
  res.writeHead(snap.status, headers.full);
  res.end(req.method === "HEAD" ? undefined : snap.body);
  return snap.status;
}

const headerValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const seconds = (since: number) => (performance.now() - since) / 1000;

const TOKEN_PATH = new RegExp(`^/(${SLUG})/oauth2/token/?$`);
const MAX_FORM_BYTES = 16_384;

/** A per-request answer (no ETag, never cached). */
function sendOnce(res: ServerResponse, snap: Snapshot): void {
  const requestId = currentRequest()?.requestId;
  res.writeHead(snap.status, { ...BASE_HEADERS, ...snap.headers, "content-length": String(snap.body.length), ...(requestId ? { "x-request-id": requestId } : {}) });
  res.end(snap.body);
}

/**
 * Reads a request body up to `limit` bytes, then answers with what `handle`
 * makes of it; a larger body is refused with 413 as soon as it is seen.
 */
function withBody(req: IncomingMessage, res: ServerResponse, endpoint: PublicEndpoint, limit: number, what: string, handle: (body: string) => Promise<Snapshot>): void {
  const started = performance.now();
  res.once("finish", () => metrics().request(endpoint, res.statusCode, seconds(started)));
  const context = { requestId: requestIdFrom(req.headers["x-request-id"]) };
  readBody(req, res, limit, (body) =>
    // The request's work, its log lines and its answer carry its id.
    withRequest(context, () => {
      handle(body)
        .then((snap) => sendOnce(res, snap))
        .catch((error: unknown) => {
          const unavailable = isDatabaseUnavailable(error);
          log()[unavailable ? "warn" : "error"]({ err: error }, `${what} failed`);
          if (!res.headersSent) {
            sendOnce(res, unavailable ? protocolError(503, "temporarily_unavailable", `the ${what} cannot be processed while the database is unavailable; try again shortly`) : protocolError(500, "server_error", `the ${what} could not be processed; try again`));
          }
          else res.end();
        });
    }),
  );
}

/** Collects a request body up to `limit` bytes; a larger body is refused with 413 as soon as it is seen. */
function readBody(req: IncomingMessage, res: ServerResponse, limit: number, onBody: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit && !refused) {
      refused = true;
      sendOnce(res, protocolError(413, "invalid_request", `the request body is larger than ${limit} bytes`));
      req.destroy();
    } else if (!refused) chunks.push(chunk);
  });
  req.on("end", () => {
    if (!refused) onBody(Buffer.concat(chunks).toString("utf8"));
  });
}

function tokenRequest(req: IncomingMessage, res: ServerResponse, slug: string): void {
  if (req.method !== "POST") {
    metrics().request("token", 405, 0);
    sendOnce(res, { ...protocolError(405, "invalid_request", `${req.method} is not allowed here; use POST`), headers: { "content-type": "application/json", allow: "POST", "cache-control": "no-store" } });
    return;
  }
  // The TLS-terminating proxy forwards the client's certificate (RFC 9440); trusted only behind one.
  const clientCert = env().trustProxy ? headerValue(req.headers["client-cert"]) : undefined;
  withBody(req, res, "token", MAX_FORM_BYTES, "token request", (body) => tokenEndpoint(slug, req.headers["content-type"], body, req.headers.authorization, clientCert));
}

const REGISTER_PATH = new RegExp(`^/(${SLUG})/register(?:/([^/]{1,200}))?/?$`);
const MAX_JWT_BYTES = 65_536;

function registrationRequest(req: IncomingMessage, res: ServerResponse, slug: string, clientId: string | null): void {
  withBody(req, res, "register", MAX_JWT_BYTES, "registration request", (body) =>
    registrationEndpoint(slug, req.method ?? "GET", clientId, req.headers["content-type"], body, req.headers.authorization),
  );
}

/**
 * `GET /metrics` (Prometheus text format): only with `Authorization: Bearer
 * <KEYWARD_METRICS_TOKEN>`; without that setting the endpoint does not exist.
 */
function metricsRequest(req: IncomingMessage, res: ServerResponse): void {
  const expected = env().metricsToken;
  if (!expected) {
    sendOnce(res, protocolError(404, "not_found", "metrics are off; set KEYWARD_METRICS_TOKEN to serve them"));
    return;
  }
  const given = req.headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? "";
  if (!sameSecret(given, expected)) {
    sendOnce(res, { ...protocolError(401, "invalid_token", "GET /metrics needs Authorization: Bearer <KEYWARD_METRICS_TOKEN>"), headers: { "content-type": "application/json", "www-authenticate": 'Bearer realm="metrics"', "cache-control": "no-store" } });
    return;
  }
  const registry = metrics().registry;
  registry.metrics().then(
    (text) => {
      res.writeHead(200, { ...BASE_HEADERS, "content-type": registry.contentType, "cache-control": "no-store" });
      res.end(text);
    },
    (error: unknown) => {
      log().error({ err: error }, "metrics collection failed");
      sendOnce(res, protocolError(500, "server_error", "the metrics could not be collected"));
    },
  );
}

/**
 * Answers the request if it is for a public protocol endpoint; returns false
 * (having written nothing) otherwise, so the caller hands it to Next.
 */
export function handleProtocolRequest(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  if (path === "/metrics") {
    metricsRequest(req, res);
    return true;
  }
  const token = TOKEN_PATH.exec(path);
  if (token) {
    tokenRequest(req, res, token[1]!);
    return true;
  }
  const register = REGISTER_PATH.exec(path);
  if (register) {
    registrationRequest(req, res, register[1]!, register[2] === undefined ? null : decode(register[2]));
    return true;
  }
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (req.method === "OPTIONS") {
      res.writeHead(204, { ...BASE_HEADERS, "access-control-allow-origin": "*", "access-control-allow-methods": "GET, HEAD", "access-control-max-age": "86400" });
      res.end();
      return true;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(req, res, { ...protocolError(405, "invalid_request", `${req.method} is not allowed here; use GET`), headers: { "content-type": "application/json", allow: "GET, HEAD", "cache-control": "no-store" } });
      return true;
    }
    const started = performance.now();
    // Fast path: a built snapshot is written without a promise in between.
    const cached = peekSnapshot(m[1]!, route.cacheKey(m));
    if (cached) {
      metrics().request(route.endpoint, send(req, res, cached), seconds(started));
      return true;
    }
    route.answer(m).then(
      (snap) => metrics().request(route.endpoint, send(req, res, snap), seconds(started)),
      (error: unknown) => {
        const requestId = requestIdFrom(req.headers["x-request-id"]);
        log().error({ err: error, path, requestId }, "protocol endpoint failed");
        if (res.headersSent) return void res.end();
        res.setHeader("x-request-id", requestId);
        metrics().request(route.endpoint, send(req, res, protocolError(503, "temporarily_unavailable", "the server could not read its keys; try again")), seconds(started));
      },
    );
    return true;
  }
  return false;
}
