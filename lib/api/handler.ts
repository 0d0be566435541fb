import type { z } from "zod";
import { AppError, isAppError, notFound } from "@/lib/errors";
import { log } from "@/lib/log";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import { sessionActor } from "@/lib/auth/session";
import { canAccessTenant, requireRole, type Actor } from "@/lib/auth/roles";
import { clientMetaFromHeaders, type RequestMeta } from "@/lib/request-meta";
import { parseInput } from "@/lib/validation";
import { parseStrictJson, StrictJsonError } from "@/lib/strict-json";
import { problemBody, problemResponse } from "@/lib/api/problem";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import type { RouteSpec } from "@/lib/api/contract";
import { etagOf, isStaleVersionError, parseIfMatch, type ExpectedVersion } from "@/lib/concurrency/versions";

const MAX_BODY_BYTES = 1_000_000;
// application/json or a +json type, with parameters (charset) only after a ";".
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export interface HandlerInput<S extends RouteSpec> {
  actor: S["role"] extends "none" ? Actor | null : Actor;
  params: Infer<S["params"]>;
  query: Infer<S["query"]>;
  body: S["bodyCheckedByService"] extends true ? unknown : Infer<S["body"]>;
  request: Request;
  meta: RequestMeta;
  /** The versions If-Match accepts (a versioned route's change); undefined: no precondition. */
  ifMatch: ExpectedVersion;
}

type Impl<S extends RouteSpec> = (input: HandlerInput<S>) => Promise<unknown>;

async function resolveActor(request: Request, meta: RequestMeta): Promise<{ actor: Actor; via: "token" | "session" } | null> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new AppError("unauthenticated", "the Authorization header must be `Bearer <API token>`");
    return { actor: await authenticateApiToken(match[1], meta), via: "token" };
  }
  // Only look for a session when a session cookie came with the request.
  if (!/(?:^|;\s*)(?:__Secure-)?next-auth\.session-token(?:\.\d+)?=/.test(request.headers.get("cookie") ?? "")) return null;
  const actor = await sessionActor();
  return actor ? { actor, via: "session" } : null;
}

// Session cookies ride along on cross-site requests; a bearer token does not.
// So a cookie-authenticated change must come from our own origin.
function checkSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    throw new AppError("forbidden", "cross-site requests cannot use the console session; use an API token");
  }
  if (origin) {
    const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
    if (!host || new URL(origin).host !== host) {
      throw new AppError("forbidden", "cross-origin requests cannot use the console session; use an API token");
    }
  }
}

async function readJsonBody(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_BODY_BYTES) throw new AppError("payload_too_large", `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  const text = await request.text();
  if (text.length === 0) return {};
  if (!JSON_TYPE.test(type)) {
    throw new AppError("unsupported_media_type", `the request body must be application/json; got ${type || "no Content-Type"}`);
  }
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new AppError("payload_too_large", `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  try {
    // Duplicate members and deep nesting are refused, not resolved silently
    // (the last one winning) or left to blow the stack later.
    return parseStrictJson(text);
  } catch (error) {
    if (!(error instanceof StrictJsonError)) throw error;
    // The message never quotes the body, which may be a secret pasted by mistake.
    if (error.code === "invalid_json") throw new AppError("validation_failed", `the request body is ${error.message}`);
    throw new AppError("validation_failed", `the request body is refused: ${error.message}`, [{ path: error.path || "(body)", message: error.message }]);
  }
}

function toResponse(spec: RouteSpec, result: unknown): Response {
  if (result instanceof Response) return result;
  if (spec.success.schema === null) return new Response(null, { status: spec.success.status });
  // A versioned object's answer carries its version as a strong ETag (RFC 9110 §8.8.3).
  const version = spec.versioned && result && typeof result === "object" && "version" in result ? result.version : undefined;
  const etag: Record<string, string> = typeof version === "number" ? { etag: etagOf(version) } : {};
  return Response.json(result, { status: spec.success.status, headers: { "cache-control": "no-store", ...etag } });
}

export function errorResponse(error: unknown, request: Request, meta: RequestMeta): Response {
  const instance = new URL(request.url).pathname;
  if (isAppError(error)) {
    const headers: Record<string, string> = {};
    if (error.status === 401) headers["www-authenticate"] = 'Bearer realm="keyward"';
    if (isStaleVersionError(error)) headers.etag = etagOf(error.current.version);
    return problemResponse(
      problemBody({ status: error.status, code: error.code, detail: error.message, errors: error.fieldErrors, instance, requestId: meta.requestId }),
      headers,
    );
  }
  if (isDatabaseUnavailable(error)) {
    // The change was not made (nothing commits without the database): safe to retry.
    log().warn({ err: error, requestId: meta.requestId, path: instance }, "database unavailable");
    return problemResponse(
      problemBody({ status: 503, code: "database_unavailable", detail: `the database is unavailable; nothing was changed, try again shortly (request ${meta.requestId})`, instance, requestId: meta.requestId }),
      { "retry-after": "5" },
    );
  }
  log().error({ err: error, requestId: meta.requestId, path: instance }, "unexpected error in API route");
  return problemResponse(
    problemBody({ status: 500, code: "internal", detail: `an unexpected error occurred (request ${meta.requestId})`, instance, requestId: meta.requestId }),
  );
}

/**
 * Builds a Next route handler from a contract entry: authenticates (bearer token
 * or session), checks the role, parses params, query and JSON body with the
 * entry's schemas, calls `impl` (which calls one service) and answers JSON, or
 * RFC 9457 problem+json for any error.
 */
export function handler<S extends RouteSpec>(spec: S, impl: Impl<S>) {
  return async (request: Request, context: { params: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    const meta = clientMetaFromHeaders((n) => request.headers.get(n));
    try {
      let actor: Actor | null = null;
      if (spec.role !== "none") {
        const resolved = await resolveActor(request, meta);
        if (!resolved) throw new AppError("unauthenticated", "sign in or send `Authorization: Bearer <API token>`");
        actor = resolved.actor;
        if (resolved.via === "session" && spec.method !== "GET") checkSameOrigin(request);
      }
      const rawParams = (await context.params) ?? {};
      // Another tenant's routes do not exist for an actor limited to some: 404
      // before the role and the body are looked at, so nothing there tells.
      const tenant = rawParams.tenant;
      if (actor && typeof tenant === "string" && !canAccessTenant(actor, tenant)) throw notFound(`tenant "${tenant}"`);
      if (actor && spec.role !== "none") requireRole(actor, spec.role);
      const params = spec.params ? parseInput(spec.params, rawParams) : undefined;
      const ifMatch = spec.versioned && spec.method !== "GET" ? parseIfMatch(request.headers.get("if-match")) : undefined;
      const url = new URL(request.url);
      const query = spec.query ? parseInput(spec.query, Object.fromEntries(url.searchParams)) : undefined;
      const body = !spec.body ? undefined : spec.bodyCheckedByService ? await readJsonBody(request) : parseInput(spec.body, await readJsonBody(request));
      const result = await impl({ actor, params, query, body, request, meta, ifMatch } as HandlerInput<S>);
      return toResponse(spec, result);
    } catch (error) {
      return errorResponse(error, request, meta);
    }
  };
}
