import { z } from "zod";
import { contract, type RouteSpec } from "@/lib/api/contract";
import { problemSchema } from "@/lib/api/problem";

type Json = Record<string, unknown>;

/**
 * zod → JSON Schema (2020-12, which OpenAPI 3.1 uses as is). Schemas named with
 * `.meta({ id })` become shared components, and their refs are rewritten from
 * the schema-local `#/$defs/X` to the document's `#/components/schemas/X`.
 */
function toSchema(schema: z.ZodType, io: "input" | "output", components: Record<string, Json>): Json {
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
  delete json.$schema;
  const defs = (json.$defs ?? {}) as Record<string, Json>;
  delete json.$defs;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node && typeof node === "object") {
      const out: Json = {};
      for (const [k, v] of Object.entries(node)) {
        out[k] = k === "$ref" && typeof v === "string" ? v.replace("#/$defs/", "#/components/schemas/") : rewrite(v);
      }
      return out;
    }
    return node;
  };
  for (const [id, def] of Object.entries(defs)) {
    // Input and output shapes of one id can differ (defaults); keep the output
    // shape for answers and suffix the input shape.
    const name = io === "input" && components[id] && JSON.stringify(components[id]) !== JSON.stringify(rewrite(def)) ? `${id}Input` : id;
    components[name] = rewrite(def) as Json;
  }
  const result = rewrite(json) as Json;
  if (typeof result.id === "string") delete result.id;
  return result;
}

function parameters(spec: RouteSpec, components: Record<string, Json>): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [["path", spec.params], ["query", spec.query]] as const) {
    if (!schema) continue;
    const json = toSchema(schema, "input", components) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = prop as Json & { description?: string };
      out.push({ name, in: where, required: where === "path" || (json.required ?? []).includes(name), schema: rest, ...(description ? { description } : {}) });
    }
  }
  return out;
}

const PROBLEM_REF = { $ref: "#/components/schemas/Problem" };

// Optimistic concurrency (RFC 9110 conditional requests) on versioned objects.
const ETAG = {
  description: 'The object\'s version as a strong entity tag, e.g. `"v3"`; send it back in If-Match when changing the object',
  schema: { type: "string", examples: ['"v3"'] },
};
const IF_MATCH = {
  name: "If-Match",
  in: "header",
  required: false,
  description:
    'The ETag read with the object (e.g. `"v3"`): the change applies only if the object is still at that version, otherwise 412 and nothing is stored. `*` matches any version. Optional for compatibility, but clients should send it so that two writers never silently overwrite each other.',
  schema: { type: "string", examples: ['"v3"'] },
};

/** The OpenAPI 3.1 document of /api/v1, generated from the contract. */
export function openApiDocument(serverUrl: string, version: string): Json {
  const components: Record<string, Json> = {};
  toSchema(z.object({ p: problemSchema }), "output", components);
  const paths: Record<string, Record<string, Json>> = {};
  for (const [operationId, spec] of Object.entries(contract) as [string, RouteSpec][]) {
    const responses: Json = {};
    const ok = spec.success;
    responses[String(ok.status)] = {
      description: ok.status === 204 ? "Done" : "OK",
      ...(ok.schema
        ? { content: { [ok.contentType ?? "application/json"]: { schema: ok.contentType ? { type: "string" } : toSchema(ok.schema, "output", components) } } }
        : {}),
    };
    if (spec.versioned) (responses[String(ok.status)] as Json).headers = { ETag: { $ref: "#/components/headers/ETag" } };
    const problems: [number, string][] = [[400, "Invalid input (field errors in `errors`)"]];
    if (spec.role !== "none") problems.push([401, "Missing or invalid credentials"], [403, `Needs the ${spec.role} role`]);
    if (spec.params) problems.push([404, "Not found"]);
    if (spec.body) problems.push([409, "Conflicts with the current state"], [415, "Body is not application/json"]);
    if (spec.versioned && spec.method !== "GET") problems.push([412, "If-Match no longer matches: the object changed since it was read (who and when in `detail`); nothing was stored"]);
    // Authenticated routes read the database for the credentials at least.
    if (spec.role !== "none") problems.push([503, "The database is unavailable (`database_unavailable`); nothing was changed, retry after `Retry-After` seconds"]);
    for (const [status, description] of problems) {
      responses[String(status)] = { description, content: { "application/problem+json": { schema: PROBLEM_REF } } };
    }
    const op: Json = {
      operationId,
      summary: spec.summary,
      tags: [spec.tag],
      "x-keyward-role": spec.role,
      security: spec.role === "none" ? [] : [{ bearer: [] }, { session: [] }],
      parameters: [...parameters(spec, components), ...(spec.versioned && spec.method !== "GET" ? [{ $ref: "#/components/parameters/IfMatch" }] : [])],
      responses,
    };
    if (spec.body) {
      op.requestBody = { required: true, content: { "application/json": { schema: toSchema(spec.body, "input", components) } } };
    }
    paths[spec.path] ??= {};
    paths[spec.path]![spec.method.toLowerCase()] = op;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Keyward admin API",
      version,
      description:
        "Everything the Keyward console does. Authenticate with `Authorization: Bearer <API token>` (or the console session). Errors are RFC 9457 problem+json; lists use cursor pagination (`cursor`, `limit`, `nextCursor`). Editable objects answer an `ETag`; send it back in `If-Match` with a change, and a change made meanwhile by someone else is refused with 412 instead of being overwritten.",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: components,
      parameters: { IfMatch: IF_MATCH },
      headers: { ETag: ETAG },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token created in the console or with `npm run keyward -- token:create`" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The console session" },
      },
    },
  };
}
