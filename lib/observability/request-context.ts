import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

export interface RequestContext {
  requestId: string;
}

// On globalThis: the custom server and Next's bundle load this module
// separately in one process and must share one store.
const g = globalThis as unknown as { __keywardRequestContext?: AsyncLocalStorage<RequestContext> };
const store = (g.__keywardRequestContext ??= new AsyncLocalStorage<RequestContext>());

/** The request being served, if any: every log line of its work carries its id. */
export function currentRequest(): RequestContext | undefined {
  return store.getStore();
}

/** Runs `fn` as the work of one request. */
export function withRequest<T>(context: RequestContext, fn: () => T): T {
  return store.run(context, fn);
}

/** A client's X-Request-Id when it looks like one (8–100 of [A-Za-z0-9_.-]), else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === "string" && /^[\w.-]{8,100}$/.test(header) ? header : randomUUID();
}
