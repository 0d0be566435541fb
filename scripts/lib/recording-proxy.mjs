// A recording reverse proxy for the end-to-end server: it listens where the
// browser and the specs connect, passes every request through to Keyward
// unchanged (Host, Origin, cookies, redirects and streamed bodies untouched),
// and appends each exchange to a JSONL file so that a scan at the end of the
// run can look at everything the server answered.
//
// Bodies are recorded decoded (gzip, deflate, brotli, zstd), never the bytes
// sent on: the client gets exactly what Keyward wrote, when it wrote it.
//
// Plain Node with builtins only: scripts/e2e-server.mjs runs it without tsx.

import { appendFileSync } from "node:fs";
import http from "node:http";
import zlib from "node:zlib";

/** Content types worth recording (text the scan can read); anything else is noted without its body. */
const TEXTUAL = /^(text\/|application\/(json|problem\+json|jwt|jwk-set\+json|javascript|x-www-form-urlencoded|xml|ld\+json)|[^;]*\+json|text\/x-component)/i;
/** Past this size a body is recorded truncated (the static bundles are the big ones). */
const MAX_RECORDED_BYTES = 4 * 1024 * 1024;

/**
 * Decodes a body per its Content-Encoding, for the record only.
 * @param {Buffer} body
 * @param {string | undefined} encoding
 * @returns {Buffer}
 */
export function decodeBody(body, encoding) {
  const codings = (encoding ?? "")
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== "identity");
  let out = body;
  // Codings are listed in the order they were applied: undo them from the last.
  for (const coding of codings.reverse()) {
    if (coding === "gzip" || coding === "x-gzip") out = zlib.gunzipSync(out);
    else if (coding === "deflate") out = zlib.inflateSync(out);
    else if (coding === "br") out = zlib.brotliDecompressSync(out);
    else if (coding === "zstd" && typeof zlib.zstdDecompressSync === "function") out = zlib.zstdDecompressSync(out);
    else throw new Error(`unknown content-encoding "${coding}"`);
  }
  return out;
}

/** Decompresses as much of a cut-short body as can be read. */
function partialDecode(body, encoding) {
  const coding = (encoding ?? "").trim().toLowerCase();
  const options = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (coding === "gzip" || coding === "x-gzip") return zlib.gunzipSync(body, options);
  if (coding === "deflate") return zlib.inflateSync(body, options);
  if (coding === "br") return zlib.brotliDecompressSync(body, { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  return body;
}

function textOf(buffer, contentType, truncated) {
  if (buffer.length === 0) return "";
  if (contentType && !TEXTUAL.test(contentType) && !/charset=/i.test(contentType)) {
    // Not text by its type: keep it when it decodes as UTF-8 text anyway
    // (a secret sent as octet-stream must not escape the scan).
    const text = buffer.toString("utf8");
    if (text.includes("\uFFFD") && !truncated) return null;
    return text;
  }
  return buffer.toString("utf8");
}

/**
 * Starts the proxy.
 * @param {{ port: number, host?: string, target: { host: string, port: number }, recordFile: string, onError?: (message: string) => void }} options
 * @returns {Promise<http.Server>}
 */
export function startRecordingProxy({ port, host = "127.0.0.1", target, recordFile, onError = (m) => process.stderr.write(`${m}\n`) }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  // Build assets are immutable (their names carry a hash): their bodies are recorded the first time only.
  const staticSeen = new Set();
  const record = (entry) => {
    try {
      appendFileSync(recordFile, `${JSON.stringify(entry)}\n`);
    } catch (error) {
      onError(`[recording-proxy] could not record ${entry.url}: ${error.message}`);
    }
  };

  const server = http.createServer((req, res) => {
    const started = Date.now();
    const requestChunks = [];
    let requestBytes = 0;
    const upstream = http.request(
      {
        host: target.host,
        port: target.port,
        method: req.method,
        path: req.url,
        // The raw list keeps Host, Origin, repeated headers and their order as sent.
        headers: req.rawHeaders,
        agent,
        setHost: false,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, upstreamRes.rawHeaders);
        // Stream on at once (React Server Components arrive in chunks).
        res.flushHeaders();
        const chunks = [];
        let bytes = 0;
        upstreamRes.on("data", (chunk) => {
          if (bytes < MAX_RECORDED_BYTES) chunks.push(chunk);
          bytes += chunk.length;
          res.write(chunk);
        });
        let recorded = false;
        const finish = (aborted) => {
          if (recorded) return;
          recorded = true;
          const repeat = req.url.startsWith("/_next/static/") && upstreamRes.statusCode === 200 && staticSeen.has(req.url);
          if (req.url.startsWith("/_next/static/") && upstreamRes.statusCode === 200) staticSeen.add(req.url);
          const raw = repeat ? Buffer.alloc(0) : Buffer.concat(chunks);
          const truncated = !repeat && bytes > raw.length;
          const contentType = upstreamRes.headers["content-type"];
          let body = null;
          let decodeError;
          try {
            body = raw.length === 0 ? "" : textOf(truncated ? raw : decodeBody(raw, upstreamRes.headers["content-encoding"]), contentType, truncated);
          } catch (error) {
            // A body cut short mid-stream may not decompress: keep what does.
            try {
              body = textOf(partialDecode(raw, upstreamRes.headers["content-encoding"]), contentType, true);
            } catch {
              body = null;
            }
            decodeError = error.message;
          }
          const requestBody = Buffer.concat(requestChunks);
          record({
            at: new Date(started).toISOString(),
            method: req.method,
            url: req.url,
            status: upstreamRes.statusCode,
            requestHeaders: req.headers,
            requestBody: requestBody.length > 0 ? requestBody.toString("utf8") : "",
            headers: upstreamRes.headers,
            contentType: contentType ?? null,
            bytes,
            truncated,
            ...(aborted ? { aborted: true } : {}),
            ...(repeat ? { sameBodyAsBefore: true } : {}),
            ...(decodeError ? { decodeError } : {}),
            body,
          });
        };
        upstreamRes.on("end", () => {
          res.end();
          finish(false);
        });
        upstreamRes.on("error", (error) => {
          // The browser dropping a prefetch closes both sides: not worth a line.
          if (!clientGone) onError(`[recording-proxy] ${req.method} ${req.url}: upstream answer broke off: ${error.message}`);
          res.destroy();
          finish(true);
        });
        upstreamRes.on("close", () => finish(!upstreamRes.complete));
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
        res.end(`the end-to-end server is not answering yet: ${error.message}`);
      } else {
        res.destroy(error);
      }
    });
    req.on("data", (chunk) => {
      if (requestBytes < MAX_RECORDED_BYTES) requestChunks.push(chunk);
      requestBytes += chunk.length;
    });
    req.pipe(upstream);
    // A client that goes away mid-stream: stop the upstream request too.
    let clientGone = false;
    res.on("close", () => {
      if (!res.writableFinished) {
        clientGone = true;
        upstream.destroy();
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}
