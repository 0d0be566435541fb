/**
 * Hostile request bodies at the HTTP edges: an /api/v1 JSON route
 * (problem+json naming the fault, 415 for a body that is not JSON, 413 past
 * the limit, 403 for a viewer before any body is read), the token endpoint
 * (RFC 6749 §5.2 errors, 415 for a body that is not a form, a repeated
 * parameter refused) and /register (RFC 7591 errors, 415 for a body that is
 * not application/jwt). Nothing is stored; the server keeps answering.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant } from "@/lib/tenants/tenants";
import { rotateNow } from "@/lib/rotation/rotate";
import { ADMIN, actorWith, startProtocolServer, tokenFor, uniq } from "@/tests/integration/helpers";
import { expectServing } from "./helpers";
import { formBodyCases, jsonBodyCases } from "./corpus/json";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
let base: string;
let close: () => Promise<void>;
let slug: string;
let operator: string;
let viewer: string;
let post: Handler;

beforeAll(async () => {
  ({ base, close } = await startProtocolServer());
  slug = (await createTenant(ADMIN, { slug: uniq("http").replace(/-/g, "_"), name: "Hostile HTTP Bank" })).slug;
  await rotateNow(actorWith("operator"), slug);
  [operator, viewer] = await Promise.all([tokenFor("operator"), tokenFor("viewer")]);
  post = ((await import("@/app/api/v1/tenants/[tenant]/identity-providers/route")) as unknown as { POST: Handler }).POST;
});
afterAll(async () => close());

/** A body with no Content-Type at all (a string body would get text/plain from fetch). */
const bytes = (body: string, contentType: string | null) => (contentType === null ? new TextEncoder().encode(body) : body);

function apiRequest(token: string | null, contentType: string | null, body: string): Request {
  return new Request(`http://keyward.test/api/v1/tenants/${slug}/identity-providers`, {
    method: "POST",
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(contentType ? { "content-type": contentType } : {}) },
    body: bytes(body, contentType),
  });
}

const idpCount = () => db().identityProvider.count({ where: { tenant: { slug } } });

describe("an /api/v1 JSON route (POST identity-providers)", () => {
  let before: number;
  beforeAll(async () => {
    before = await idpCount();
  });
  for (const c of jsonBodyCases()) {
    it(`answers ${c.status} to ${c.name}`, async () => {
      const res = await post(apiRequest(operator, c.contentType, c.body()), { params: Promise.resolve({ tenant: slug }) });
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const problem = (await res.json()) as { status: number; code: string; detail: string; errors?: { path: string; message: string }[] };
      expect({ name: c.name, status: res.status }).toEqual({ name: c.name, status: c.status });
      expect(problem.status).toBe(c.status);
      const texts = [problem.detail, ...(problem.errors ?? []).map((e) => `${e.path}: ${e.message}`)].join("\n");
      expect(texts, c.name).toMatch(c.says);
      if (c.path) expect((problem.errors ?? []).map((e) => e.path), c.name).toContain(c.path);
    });
    it(`answers 403 to a viewer sending ${c.name}, before reading it`, async () => {
      const res = await post(apiRequest(viewer, c.contentType, c.body()), { params: Promise.resolve({ tenant: slug }) });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe("forbidden");
    });
  }
  it("answers 401 to an anonymous broken body, and stored nothing", async () => {
    const res = await post(apiRequest(null, "application/json", '{"a":1,"a":2}'), { params: Promise.resolve({ tenant: slug }) });
    expect(res.status).toBe(401);
    expect(await idpCount()).toBe(before);
    await expectServing(base, slug);
  });
});

describe("the token endpoint's form", () => {
  for (const c of formBodyCases()) {
    it(`answers ${c.status} ${c.error} to ${c.name}`, async () => {
      const res = await fetch(`${base}/${slug}/oauth2/token`, { method: "POST", headers: c.contentType ? { "content-type": c.contentType } : {}, body: bytes(c.body(), c.contentType) });
      const body = (await res.json()) as { error: string; error_description: string; access_token?: string };
      expect({ name: c.name, status: res.status, error: body.error }).toEqual({ name: c.name, status: c.status, error: c.error });
      expect(body.error_description, c.name).toMatch(c.says);
      expect(body.access_token).toBeUndefined();
    });
  }
  it("still serves", async () => expectServing(base, slug));
});

describe("/register's body", () => {
  const cases: { name: string; contentType: string | null; body: string; status: number; says: RegExp }[] = [
    { name: "JSON", contentType: "application/json", body: '{"software_statement":"x"}', status: 415, says: /must be a signed JWT with Content-Type application\/jwt; got application\/json/ },
    { name: "text/plain", contentType: "text/plain", body: "eyJ.eyJ.sig", status: 415, says: /application\/jwt; got text\/plain/ },
    { name: "no content type", contentType: null, body: "eyJ.eyJ.sig", status: 415, says: /application\/jwt; got (no Content-Type|text\/plain)/ },
    { name: "a form", contentType: "application/x-www-form-urlencoded", body: "software_statement=x", status: 415, says: /application\/jwt; got application\/x-www-form-urlencoded/ },
    { name: "application/jwt-like type", contentType: "application/jwtx", body: "eyJ.eyJ.sig", status: 415, says: /application\/jwt; got application\/jwtx/ },
    { name: "64 KB and one byte", contentType: "application/jwt", body: "a".repeat(65_537), status: 413, says: /larger than 65536 bytes/ },
    { name: "JSON sent as a JWT", contentType: "application/jwt", body: '{"software_statement":"x"}', status: 400, says: /^request\.format: .*three dot-separated parts; this has 1/ },
    { name: "an empty body", contentType: "application/jwt", body: "", status: 400, says: /^request\.format:/ },
    { name: "a JWT wrapped in quotes", contentType: "application/jwt", body: '"eyJhbGciOiJQUzI1NiJ9.e30.c2ln"', status: 400, says: /^request\.format: .*not base64url: it contains "\\""/ },
  ];
  for (const c of cases) {
    it(`answers ${c.status} to ${c.name}`, async () => {
      const before = await db().client.count({ where: { tenant: { slug } } });
      const res = await fetch(`${base}/${slug}/register`, { method: "POST", headers: c.contentType ? { "content-type": c.contentType } : {}, body: bytes(c.body, c.contentType) });
      const body = (await res.json()) as { error: string; error_description: string };
      expect({ name: c.name, status: res.status }).toEqual({ name: c.name, status: c.status });
      expect(["invalid_request", "invalid_client_metadata"]).toContain(body.error);
      expect(body.error_description, c.name).toMatch(c.says);
      expect(await db().client.count({ where: { tenant: { slug } } })).toBe(before);
    });
  }
  it("still serves", async () => expectServing(base, slug));
});
