import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "@/lib/log";
import { discoverySnapshot } from "@/lib/protocol/discovery";
import { jwksSnapshot, protocolError } from "@/lib/protocol/jwks";
import { tokenEndpoint } from "@/lib/protocol/token-endpoint";
import { registrationEndpoint } from "@/lib/dcr/registration-endpoint";
import { peekSnapshot, type Snapshot } from "@/lib/protocol/published-state";

/**
 * The public protocol endpoints, answered before Next's pipeline: they are the
 * hot path (every relying party, gateway and token verification fetches them).
 * Plain node:http, a few routes, answers from in-memory snapshots.
 */
const SLUG = "[a-z0-9][a-z0-9_-]{1,62}";
const ROUTES: { pattern: RegExp; cacheKey: (m: RegExpExecArray) => string; answer: (m: RegExpExecArray) => Promise<Snapshot> }[] = [
  { pattern: new RegExp(`^/(${SLUG})/oauth2/v1/certs/?$`), cacheKey: () => "jwks:", answer: (m) => jwksSnapshot(m[1]!) },
  {
    pattern: new RegExp(`^/(${SLUG})/oauth2/v1/certs/app/([^/]{1,200})/?$`),
    cacheKey: (m) => `jwks:${decode(m[2]!)}`,
    answer: (m) => jwksSnapshot(m[1]!, decode(m[2]!)),
  },
  { pattern: new RegExp(`^/(${SLUG})/\\.well-known/openid-configuration/?$`), cacheKey: () => "discovery", answer: (m) => discoverySnapshot(m[1]!) },
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

function send(req: IncomingMessage, res: ServerResponse, snap: Snapshot): void {
  const headers = headersOf(snap);
  if (snap.status === 200 && etagMatches(req.headers["if-none-match"], snap.etag)) {
    res.writeHead(304, headers.notModified);
    res.end();
    return;
  }
  res.writeHead(snap.status, headers.full);
  res.end(req.method === "HEAD" ? undefined : snap.body);
}

const TOKEN_PATH = new RegExp(`^/(${SLUG})/oauth2/token/?$`);
const MAX_FORM_BYTES = 16_384;

/** A per-request answer (no ETag, never cached). */
function sendOnce(res: ServerResponse, snap: Snapshot): void {
  res.writeHead(snap.status, { ...BASE_HEADERS, ...snap.headers, "content-length": String(snap.body.length) });
  res.end(snap.body);
}

/**
 * Reads a request body up to `limit` bytes, then answers with what `handle`
 * makes of it; a larger body is refused with 413 as soon as it is seen.
 */
function withBody(req: IncomingMessage, res: ServerResponse, limit: number, what: string, handle: (body: string) => Promise<Snapshot>): void {
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
    if (refused) return;
    handle(Buffer.concat(chunks).toString("utf8"))
      .then((snap) => sendOnce(res, snap))
      .catch((error: unknown) => {
        log().error({ err: error }, `${what} failed`);
        if (!res.headersSent) sendOnce(res, protocolError(500, "server_error", `the ${what} could not be processed; try again`));
        else res.end();
      });
  });
}

function tokenRequest(req: IncomingMessage, res: ServerResponse, slug: string): void {
  if (req.method !== "POST") {
    sendOnce(res, { ...protocolError(405, "invalid_request", `${req.method} is not allowed here; use POST`), headers: { "content-type": "application/json", allow: "POST", "cache-control": "no-store" } });
    return;
  }
  withBody(req, res, MAX_FORM_BYTES, "token request", (body) => tokenEndpoint(slug, req.headers["content-type"], body, req.headers.authorization));
}

const REGISTER_PATH = new RegExp(`^/(${SLUG})/register(?:/([^/]{1,200}))?/?$`);
const MAX_JWT_BYTES = 65_536;

function registrationRequest(req: IncomingMessage, res: ServerResponse, slug: string, clientId: string | null): void {
  withBody(req, res, MAX_JWT_BYTES, "registration request", (body) =>
    registrationEndpoint(slug, req.method ?? "GET", clientId, req.headers["content-type"], body, req.headers.authorization),
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
    // Fast path: a built snapshot is written without a promise in between.
    const cached = peekSnapshot(m[1]!, route.cacheKey(m));
    if (cached) {
      send(req, res, cached);
      return true;
    }
    route.answer(m).then(
      (snap) => send(req, res, snap),
      (error: unknown) => {
        log().error({ err: error, path }, "protocol endpoint failed");
        if (!res.headersSent) send(req, res, protocolError(503, "temporarily_unavailable", "the server could not read its keys; try again"));
        else res.end();
      },
    );
    return true;
  }
  return false;
}
