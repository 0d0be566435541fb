/**
 * One fetch of a JWKS URI, within the limits bank admins know from other
 * authorization servers: connect and read timeouts, a size limit, at most a
 * few redirects, and the outbound policy on every hop.
 *
 * Redirects are followed here rather than by undici so each Location can be
 * checked against the policy before anything is sent to it.
 */
import { performance } from "node:perf_hooks";
import { Agent, request, type Dispatcher } from "undici";
import { JwksFetchError, refusedFetch } from "./jwks-fetch-error";
import { jwksMaxAgeSeconds } from "./jwks-max-age";
import { outboundConnector } from "./outbound-connector";
import { checkOutboundUrl, OutboundRefused } from "./outbound-policy";
import { redirectTarget } from "./redirect-target";
import { validateJwks, type RemoteJwk } from "./validate-jwks";
import { parseStrictJson, StrictJsonError } from "@/lib/strict-json";

/** Limits of one fetch; every one has a default. */
export interface JwksFetchLimits {
  /** DNS, TCP and TLS together. Default 1000. */
  connectTimeoutMs?: number;
  /** Waiting for the headers, and for each piece of the body. Default 1000. */
  readTimeoutMs?: number;
  /** Largest body accepted. Default 51200. */
  sizeLimitBytes?: number;
  /** Redirects followed. Default 3. */
  maxRedirects?: number;
}

/** The defaults of {@link JwksFetchLimits}. */
export const DEFAULT_JWKS_FETCH_LIMITS: Readonly<Required<JwksFetchLimits>> = Object.freeze({
  connectTimeoutMs: 1000,
  readTimeoutMs: 1000,
  sizeLimitBytes: 51_200,
  maxRedirects: 3,
});

export interface FetchJwksOptions extends JwksFetchLimits {
  /** Entries of `KEYWARD_OUTBOUND_ALLOW`. */
  allow: readonly string[];
  /** The ETag of the keys held, sent as If-None-Match. */
  etag?: string;
  /** Clock for `fetchedAt` (tests). */
  now?: () => number;
}

interface FetchTiming {
  /** The URI asked for. */
  uri: string;
  /** The URL that answered, after redirects. */
  url: string;
  etag?: string;
  /** Seconds the keys stay fresh, from Cache-Control/Expires, within [60, 86400]. */
  maxAgeSeconds: number;
  fetchedAt: number;
  durationMs: number;
}

/** A successful fetch: new keys, or confirmation that the held ones are current. */
export type JwksFetchResult =
  | (FetchTiming & { status: "ok"; keys: RemoteJwk[]; warnings: string[] })
  | (FetchTiming & { status: "not-modified"; warnings: [] });

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches and validates a JWKS once: the outbound policy on the URI, on
 * every redirect (at most `maxRedirects`, never https → http) and on the
 * address connected to; the connect timeout; the read timeout for the
 * headers and between body chunks, plus an overall deadline per hop so a
 * trickling server cannot hold the fetch; the size limit counted while
 * streaming. With `etag`, a 304 answers `not-modified`.
 *
 * @throws JwksFetchError with a code and a message an admin understands.
 * @example
 * const result = await fetchJwks("https://idp.example/.well-known/jwks.json", { allow: env().outboundAllow });
 * if (result.status === "ok") console.log(result.keys.map((k) => k.kid), result.maxAgeSeconds);
 * // a later revalidation:
 * await fetchJwks(uri, { allow, etag: result.etag }); // { status: "not-modified", … } when unchanged
 */
export async function fetchJwks(uri: string, options: FetchJwksOptions): Promise<JwksFetchResult> {
  const limits = { ...DEFAULT_JWKS_FETCH_LIMITS, ...definedLimits(options) };
  const now = options.now ?? Date.now;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let current: URL;
  try {
    current = checkOutboundUrl(uri, { allow: options.allow });
  } catch (error) {
    throw withDuration(refusedFetch(uri, error as OutboundRefused), elapsed());
  }
  const agent = new Agent({
    connect: outboundConnector({ allow: options.allow, connectTimeoutMs: limits.connectTimeoutMs }),
    headersTimeout: limits.readTimeoutMs,
    bodyTimeout: limits.readTimeoutMs,
  });
  let where = `the JWKS at ${uri}`;
  try {
    for (let hop = 0; ; hop++) {
      const answer = await exchange(agent, current, options.etag, limits, { uri, where });
      const { statusCode, headers } = answer;
      if (REDIRECTS.has(statusCode)) {
        current = redirectTarget({
          uri,
          current,
          location: headerValue(headers.location),
          statusCode,
          hop,
          maxRedirects: limits.maxRedirects,
          allow: options.allow,
        });
        where = `the JWKS at ${uri} (redirected to ${current.href})`;
        continue;
      }
      const timing = {
        uri,
        url: current.href,
        maxAgeSeconds: jwksMaxAgeSeconds(current.href, headers),
        fetchedAt: now(),
        durationMs: elapsed(),
      };
      if (statusCode === 304 && options.etag !== undefined) {
        return { status: "not-modified", ...timing, etag: headerValue(headers.etag) ?? options.etag, warnings: [] };
      }
      if (statusCode !== 200 || answer.body === null) {
        throw new JwksFetchError("http_status", `${where} answered HTTP ${statusCode}`, uri, { httpStatus: statusCode });
      }
      const document = parseJson(answer.body, headerValue(headers["content-type"]), where, uri);
      const { keys, warnings } = validateJwks(document, uri);
      return { status: "ok", ...timing, etag: headerValue(headers.etag), keys, warnings };
    }
  } catch (error) {
    throw withDuration(toFetchError(error, uri, where, limits), elapsed());
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}

function definedLimits(options: JwksFetchLimits): JwksFetchLimits {
  const out: JwksFetchLimits = {};
  for (const name of ["connectTimeoutMs", "readTimeoutMs", "sizeLimitBytes", "maxRedirects"] as const) {
    if (options[name] !== undefined) out[name] = options[name];
  }
  return out;
}

function withDuration(error: JwksFetchError, durationMs: number): JwksFetchError {
  error.durationMs = durationMs;
  return error;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body of a 200; other answers' bodies are discarded unread. */
  body: Buffer | null;
}

class DeadlinePassed extends Error {}

/** One request and, for a 200, its body, within the hop's deadline and the size limit. */
async function exchange(
  agent: Dispatcher,
  url: URL,
  etag: string | undefined,
  limits: Required<JwksFetchLimits>,
  context: { uri: string; where: string },
): Promise<Answer> {
  const { uri, where } = context;
  // Headers and body each get the read timeout (undici), but only as idle
  // time; this bounds the whole exchange so a byte every 999 ms cannot hold it.
  const deadlineMs = limits.connectTimeoutMs + 2 * limits.readTimeoutMs;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlinePassed()), deadlineMs);
  timer.unref();
  try {
    const response = await request(url, {
      dispatcher: agent,
      method: "GET",
      signal: controller.signal,
      headers: {
        accept: "application/jwk-set+json, application/json;q=0.9, */*;q=0.1",
        // No decompression here: the size limit is on the bytes we hold.
        "accept-encoding": "identity",
        "user-agent": "Keyward-JWKS-Fetcher",
        ...(etag !== undefined ? { "if-none-match": etag } : {}),
      },
    });
    const { statusCode, headers, body } = response;
    if (statusCode !== 200) {
      discard(body);
      return { statusCode, headers, body: null };
    }
    const declared = Number(headerValue(headers["content-length"]));
    if (Number.isFinite(declared) && declared > limits.sizeLimitBytes) {
      discard(body);
      throw tooLarge(where, uri, limits);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limits.sizeLimitBytes) {
        discard(body);
        throw tooLarge(where, uri, limits);
      }
      chunks.push(chunk);
    }
    return { statusCode, headers, body: Buffer.concat(chunks) };
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason instanceof DeadlinePassed) {
      throw new JwksFetchError("timeout", `${where} did not finish answering within ${deadlineMs} ms`, uri);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Drops a body unread; undici reports the early destroy as an error nobody needs to hear. */
function discard(body: Dispatcher.ResponseData["body"]): void {
  body.on("error", () => undefined);
  body.destroy();
}

function tooLarge(where: string, uri: string, limits: Required<JwksFetchLimits>): JwksFetchError {
  return new JwksFetchError("too_large", `${where} is larger than ${limits.sizeLimitBytes} bytes (the size limit)`, uri);
}

function parseJson(body: Buffer, contentType: string | undefined, where: string, uri: string): unknown {
  try {
    // A member twice ("keys" served two ways) or absurd nesting is refused, not resolved by whichever parser reads it.
    return parseStrictJson(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (error) {
    const reason = error instanceof StrictJsonError ? error.message : "not valid UTF-8";
    throw new JwksFetchError("bad_json", `${where} is not JSON (content-type ${contentType ?? "not given"}): ${reason}`, uri);
  }
}

function findOutboundRefused(error: unknown): OutboundRefused | null {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof OutboundRefused) return e;
  }
  return null;
}

function toFetchError(error: unknown, uri: string, where: string, limits: Required<JwksFetchLimits>): JwksFetchError {
  if (error instanceof JwksFetchError) return error;
  const refused = findOutboundRefused(error);
  if (refused) {
    const message = where === `the JWKS at ${uri}` ? refused.message : `${where}: ${refused.message}`;
    return new JwksFetchError("refused_address", message, uri, { cause: refused });
  }
  const code = (error as { code?: unknown }).code;
  if (code === "UND_ERR_CONNECT_TIMEOUT") {
    return new JwksFetchError("timeout", `${where} could not be reached within ${limits.connectTimeoutMs} ms (connection timeout)`, uri, { cause: error });
  }
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    return new JwksFetchError("timeout", `${where} did not answer within ${limits.readTimeoutMs} ms (read timeout)`, uri, { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new JwksFetchError("network", `${where} could not be fetched: ${detail}`, uri, { cause: error });
}
