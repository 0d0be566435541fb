/**
 * HTTP load with autocannon, bounded by time and by requests, on loopback.
 * Each call answers the rate of completed responses over the wall time it
 * took, the latency percentiles and what went wrong (non-2xx, errors).
 */
import autocannon from "autocannon";

/**
 * @param {object} o
 * @param {string} o.url        base URL (http://127.0.0.1:port)
 * @param {string} o.path
 * @param {number} o.connections
 * @param {number} [o.duration] seconds (time bound; default 120)
 * @param {number} [o.amount]   responses (request bound; distributed over the connections)
 * @param {string} [o.method]
 * @param {object} [o.headers]
 * @param {string} [o.body]
 * @param {(req: object) => object} [o.setupRequest] per-request changes (a fresh body)
 * @param {object[]} [o.requests] autocannon's request list instead of the one request above (each connection cycles through it)
 * @param {number} [o.timeout] seconds per request
 */
export async function load(o) {
  const request = {
    method: o.method ?? "GET",
    path: o.path,
    headers: o.headers ?? {},
    ...(o.body !== undefined ? { body: o.body } : {}),
    ...(o.setupRequest ? { setupRequest: o.setupRequest } : {}),
  };
  const started = performance.now();
  // A run bounded by requests ends at its last response: autocannon itself only
  // resolves on its next one-second sample tick, which would cap the rate.
  let lastResponse = started;
  const instance = autocannon({
    url: o.url,
    connections: o.connections,
    // Both bounds at once, whichever comes first: `amount` responses or `duration` seconds.
    duration: o.duration ?? 120,
    ...(o.amount ? { maxOverallRequests: o.amount } : {}),
    timeout: o.timeout ?? 10,
    requests: o.requests ?? [request],
  });
  instance.on("response", () => (lastResponse = performance.now()));
  const result = await instance;
  const elapsed = ((o.amount ? lastResponse : performance.now()) - started) / 1000;
  const responses = result.requests.total;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, v]) => [code, v.count]));
  return {
    rps: responses / elapsed,
    responses,
    elapsed,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    latency: { p50: result.latency.p50, p99: result.latency.p99, mean: result.latency.average, max: result.latency.max },
  };
}

/** Throws when a run had errors, or answers other than `expect` (default: 2xx only). */
export function check(name, run, expect = (code) => code >= 200 && code < 300) {
  const wrong = Object.entries(run.statusCodes).filter(([code]) => !expect(Number(code)));
  if (run.errors > 0 || run.timeouts > 0 || wrong.length > 0) {
    throw new Error(`${name}: ${run.errors} errors, ${run.timeouts} timeouts, unexpected answers ${JSON.stringify(Object.fromEntries(wrong))}`);
  }
  return run;
}
