import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { openApiDocument } from "@/lib/api/openapi";
import { createTenant } from "@/lib/tenants/tenants";
import { createClient } from "@/lib/clients/clients";
import { ADMIN, tokenFor, uniq } from "./helpers";
import * as clientRoute from "@/app/api/v1/tenants/[tenant]/clients/[clientId]/route";
import * as tenantRoute from "@/app/api/v1/tenants/[tenant]/route";
import * as policyRoute from "@/app/api/v1/tenants/[tenant]/rotation-policy/route";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

let token: string;
let slug: string;
let clientId: string;

beforeAll(async () => {
  token = await tokenFor("admin");
  slug = (await createTenant(ADMIN, { slug: uniq("etag").replace(/-/g, "_"), name: "ETag Bank" })).slug;
  clientId = (await createClient(ADMIN, slug, { name: "ETag TPP", tokenEndpointAuthMethod: "client_secret_basic", grantTypes: ["client_credentials"] })).clientId;
});

function call(handler: Handler, method: string, path: string, params: Record<string, string>, init: { body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers };
  return handler(new Request(`http://keyward.test${path}`, { method, headers, body: init.body ? JSON.stringify(init.body) : undefined }), {
    params: Promise.resolve(params),
  });
}

const clientPath = () => `/api/v1/tenants/${slug}/clients/${clientId}`;
const getClient = () => call(clientRoute.GET as Handler, "GET", clientPath(), { tenant: slug, clientId });
const patchClient = (body: unknown, headers: Record<string, string> = {}) => call(clientRoute.PATCH as Handler, "PATCH", clientPath(), { tenant: slug, clientId }, { body, headers });

describe("conditional requests on a client (RFC 9110)", () => {
  it("answers a strong ETag from the version on GET and a new one on PATCH", async () => {
    const read = await getClient();
    expect(read.status).toBe(200);
    const body = (await read.json()) as { version: number };
    expect(read.headers.get("etag")).toBe(`"v${body.version}"`);
    const changed = await patchClient({ name: "ETag TPP renamed" }, { "if-match": read.headers.get("etag")! });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).toBe(`"v${body.version + 1}"`);
    expect(((await changed.json()) as { name: string }).name).toBe("ETag TPP renamed");
  });

  it("refuses a PATCH whose If-Match no longer matches with 412 problem+json, and stores nothing", async () => {
    const etag = (await getClient()).headers.get("etag")!;
    expect((await patchClient({ name: "first writer" }, { "if-match": etag })).status).toBe(200);
    const events = await db().auditEvent.count({ where: { targetType: "client", targetId: clientId } });

    const stale = await patchClient({ name: "second writer" }, { "if-match": etag });
    expect(stale.status).toBe(412);
    expect(stale.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await stale.json()) as { status: number; title: string; code: string; detail: string };
    expect(problem).toMatchObject({ status: 412, title: "Precondition Failed", code: "precondition_failed" });
    expect(problem.detail).toContain(`client "${clientId}" was changed by `);
    expect(problem.detail).toContain("since it was read");
    // The refusal names the current version, so the client can read it again.
    const current = await getClient();
    expect(stale.headers.get("etag")).toBe(current.headers.get("etag"));
    expect(((await current.json()) as { name: string }).name).toBe("first writer");
    expect(await db().auditEvent.count({ where: { targetType: "client", targetId: clientId } })).toBe(events);
  });

  it("still applies a PATCH without If-Match, and one with If-Match: *", async () => {
    expect((await patchClient({ name: "no precondition" })).status).toBe(200);
    const star = await patchClient({ name: "any version" }, { "if-match": "*" });
    expect(star.status).toBe(200);
    expect(((await star.json()) as { name: string }).name).toBe("any version");
  });

  it("matches If-Match with several tags when one is current; never a weak tag or a foreign one", async () => {
    const etag = (await getClient()).headers.get("etag")!;
    expect((await patchClient({ name: "weak" }, { "if-match": etag.replace(/^/, "W/") })).status).toBe(412);
    expect((await patchClient({ name: "foreign" }, { "if-match": '"abc"' })).status).toBe(412);
    const list = await patchClient({ name: "listed" }, { "if-match": `"v1", ${etag}` });
    expect(list.status).toBe(200);
  });

  it("answers 400 naming If-Match for a value that is not entity-tag syntax, and stores nothing", async () => {
    const before = (await (await getClient()).json()) as { name: string; version: number };
    for (const bad of ["v3", "3", '"v3']) {
      const res = await patchClient({ name: "malformed" }, { "if-match": bad });
      expect(res.status, `If-Match: ${bad}`).toBe(400);
      const problem = (await res.json()) as { detail: string; errors: { path: string }[] };
      expect(problem.detail).toContain("If-Match");
      expect(problem.errors[0]!.path).toBe("If-Match");
    }
    const after = (await (await getClient()).json()) as { name: string; version: number };
    expect(after).toMatchObject({ name: before.name, version: before.version });
  });

  it("answers 404, not 412, for a client that does not exist", async () => {
    const res = await call(clientRoute.PATCH as Handler, "PATCH", `/api/v1/tenants/${slug}/clients/kwc_nope`, { tenant: slug, clientId: "kwc_nope" }, {
      body: { name: "x" },
      headers: { "if-match": '"v1"' },
    });
    expect(res.status).toBe(404);
  });
});

describe("conditional requests on the tenant and its rotation policy", () => {
  it("share the tenant's version: a policy change makes a tenant ETag stale", async () => {
    const t = await call(tenantRoute.GET as Handler, "GET", `/api/v1/tenants/${slug}`, { tenant: slug });
    const etag = t.headers.get("etag")!;
    expect(etag).toMatch(/^"v\d+"$/);
    const p = await call(policyRoute.GET as Handler, "GET", `/api/v1/tenants/${slug}/rotation-policy`, { tenant: slug });
    expect(p.headers.get("etag")).toBe(etag);
    const put = await call(policyRoute.PUT as Handler, "PUT", `/api/v1/tenants/${slug}/rotation-policy`, { tenant: slug }, {
      body: { retentionSeconds: 700_000 },
      headers: { "if-match": etag },
    });
    expect(put.status).toBe(200);
    expect(put.headers.get("etag")).not.toBe(etag);
    const stale = await call(tenantRoute.PATCH as Handler, "PATCH", `/api/v1/tenants/${slug}`, { tenant: slug }, { body: { name: "Stale Bank" }, headers: { "if-match": etag } });
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as { detail: string }).detail).toContain(`tenant "${slug}" was changed`);
  });
});

describe("the OpenAPI document", () => {
  it("documents If-Match on every versioned change, the ETag on its answers, and 412", () => {
    const doc = openApiDocument("http://keyward.test", "test") as {
      paths: Record<string, Record<string, { parameters: { $ref?: string }[]; responses: Record<string, { headers?: Record<string, unknown> }> }>>;
      components: { parameters: Record<string, { name: string; in: string }> };
    };
    expect(doc.components.parameters.IfMatch).toMatchObject({ name: "If-Match", in: "header" });
    for (const [path, method] of [
      ["/api/v1/tenants/{tenant}/clients/{clientId}", "patch"],
      ["/api/v1/tenants/{tenant}/identity-providers/{id}", "patch"],
      ["/api/v1/tenants/{tenant}", "patch"],
      ["/api/v1/tenants/{tenant}/rotation-policy", "put"],
      ["/api/v1/users/{id}", "patch"],
    ] as const) {
      const op = doc.paths[path]![method]!;
      expect(op.parameters, `${method} ${path}`).toContainEqual({ $ref: "#/components/parameters/IfMatch" });
      expect(op.responses["412"], `${method} ${path}`).toBeDefined();
      expect(op.responses["200"]!.headers?.ETag, `${method} ${path}`).toBeDefined();
      expect(doc.paths[path]!.get!.responses["200"]!.headers?.ETag, `get ${path}`).toBeDefined();
    }
  });
});
