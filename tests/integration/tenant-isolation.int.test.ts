import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { contract, type RouteSpec } from "@/lib/api/contract";
import { db } from "@/lib/db";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createTenant } from "@/lib/tenants/tenants";
import { addSigningKey } from "@/lib/keys/add-key";
import { createClient } from "@/lib/clients/clients";
import { createIdentityProvider } from "@/lib/idps/identity-providers";
import { createDirectory } from "@/lib/directories/directories";
import { auditFacets } from "@/lib/audit/list-events";
import { ADMIN, actorWith, callRoute, uniq } from "./helpers";

/**
 * Every /api/v1 route of a tenant, called by an actor limited to another
 * tenant: with the other tenant's slug and its real object ids, and with its
 * own slug and the other tenant's ids. The routes come from the contract (the
 * route files are checked against it in api-routes.int.test.ts), so a new
 * route is covered without touching this test.
 */

/** Calls a route as `token`, with an empty JSON body where a body may go (the isolation checks come before it is read). */
function call(spec: RouteSpec, params: Record<string, string>, token: string, body: unknown = {}): Promise<Response> {
  return callRoute(spec, params, { token, body: spec.method === "DELETE" ? undefined : body });
}

const specs = Object.entries(contract) as [string, RouteSpec][];

const tenantRoutes = specs.filter(([, s]) => s.path.includes("{tenant}"));

/** What B holds, counted before and after: nothing may change through A's token. */
async function footprint(slug: string) {
  const tenant = await db().tenant.findUniqueOrThrow({ where: { slug }, include: { _count: { select: { signingKeys: true, clients: true, identityProviders: true, directories: true } } } });
  const keys = await db().signingKey.findMany({ where: { tenantId: tenant.id }, select: { kid: true, state: true }, orderBy: { kid: "asc" } });
  const clients = await db().client.findMany({ where: { tenantId: tenant.id }, select: { clientId: true, name: true, status: true, jwks: true } });
  return { tenant: { ...tenant, updatedAt: undefined }, keys, clients };
}

describe("tenant isolation of the admin API", () => {
  const a = uniq("iso_a").replace(/-/g, "_");
  const b = uniq("iso_b").replace(/-/g, "_");
  const ids: Record<string, string> = {};
  let scopedAdmin = "";
  let scopedViewer = "";

  beforeAll(async () => {
    await createTenant(ADMIN, { slug: a, name: "Bank A" });
    await createTenant(ADMIN, { slug: b, name: "Bank B" });
    const key = await addSigningKey(ADMIN, b, { source: "generate", alg: "ES256" });
    const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });
    const client = await createClient(ADMIN, b, { name: "B's TPP", tokenEndpointAuthMethod: "private_key_jwt", jwks: { keys: [{ ...jwk, kid: "b-tpp-key" }] } });
    const idp = await createIdentityProvider(ADMIN, b, { name: "https://idp.b.example", jwks: { keys: [{ ...jwk, kid: "b-idp-key", alg: "ES256" }] } });
    const directory = await createDirectory(ADMIN, b, { kind: "sandbox" });
    Object.assign(ids, { kid: key.kid, clientId: client.clientId, idp: idp.id, directory: directory.id });
    scopedAdmin = (await createApiToken(ADMIN, { name: uniq("a-admin"), role: "admin", tenants: [a] })).token;
    scopedViewer = (await createApiToken(ADMIN, { name: uniq("a-viewer"), role: "viewer", tenants: [a] })).token;
  });

  /** The path parameters of a route, in tenant `slug`, with B's real objects. */
  function paramsOf(spec: RouteSpec, slug: string): Record<string, string> {
    const params: Record<string, string> = { tenant: slug };
    for (const m of spec.path.matchAll(/\{(\w+)\}/g)) {
      const name = m[1]!;
      if (name === "tenant") continue;
      if (name === "kid") params.kid = spec.path.includes("/clients/") ? "b-tpp-key" : ids.kid!;
      else if (name === "clientId") params.clientId = ids.clientId!;
      else if (name === "id") params.id = spec.path.includes("/directories/") ? ids.directory! : ids.idp!;
      else throw new Error(`no object of B for {${name}} in ${spec.path}: add it to this test`);
    }
    return params;
  }

  it("answers 404 for every route of another tenant, for every method, and changes nothing there", async () => {
    const before = await footprint(b);
    for (const [name, spec] of tenantRoutes) {
      for (const token of [scopedAdmin, scopedViewer]) {
        const res = await call(spec, paramsOf(spec, b), token);
        expect(res.status, `${name}: ${spec.method} ${spec.path}`).toBe(404);
        const problem = (await res.json()) as { code: string; detail: string };
        expect(problem, name).toMatchObject({ code: "not_found", detail: `tenant "${b}" was not found` });
      }
    }
    expect(await footprint(b)).toEqual(before);
  });

  it("never reaches another tenant's objects through its ids under the actor's own tenant", async () => {
    const before = await footprint(b);
    for (const [name, spec] of tenantRoutes.filter(([, s]) => /\{(kid|clientId|id)\}/.test(s.path))) {
      const res = await call(spec, paramsOf(spec, a), scopedAdmin);
      // An empty body may be refused by the route's schema first (the same answer for any id); anything else is 404.
      const allowed = spec.body ? [400, 404] : [404];
      expect(allowed, `${name}: ${spec.method} ${spec.path} answered ${res.status}`).toContain(res.status);
    }
    // With bodies the routes accept, B's ids are not found under A either.
    const valid: [RouteSpec, unknown][] = [
      [contract.updateClient, { name: "renamed through A" }],
      [contract.addClientKey, { jwk: { ...generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }), kid: "planted" } }],
      [contract.keyCsr, { subject: "CN=planted" }],
      [contract.activateKey, {}],
      [contract.retireKey, {}],
      [contract.updateIdp, { enabled: false }],
      [contract.issueSandboxSsa, { softwareId: "planted", softwareClientName: "Planted", orgId: "planted-org", orgName: "Planted Ltd", redirectUris: ["https://planted.example/cb"], softwareJwksEndpoint: "https://planted.example/jwks" }],
    ];
    for (const [spec, body] of valid) {
      const res = await call(spec, paramsOf(spec, a), scopedAdmin, body);
      expect(res.status, `${spec.method} ${spec.path}: ${await res.clone().text()}`).toBe(404);
    }
    expect(await footprint(b)).toEqual(before);
  });

  it("lists only the actor's tenants, and keeps users, tokens and new tenants to actors over every tenant", async () => {
    const list = (await (await call(contract.listTenants, {}, scopedAdmin)).json()) as { items?: { slug: string }[] } | { slug: string }[];
    const slugs = (Array.isArray(list) ? list : (list.items ?? [])).map((t) => t.slug);
    expect(slugs).toEqual([a]);
    for (const [name, spec] of specs.filter(([, s]) => /^\/api\/v1\/(users|tokens)/.test(s.path) || (s.path === "/api/v1/tenants" && s.method === "POST"))) {
      const params: Record<string, string> = {};
      for (const m of spec.path.matchAll(/\{(\w+)\}/g)) params[m[1]!] = "00000000-0000-7000-8000-000000000000";
      const res = await call(spec, params, scopedAdmin, { slug: uniq("x").replace(/-/g, "_"), name: "X", email: "x@x.test", role: "admin" });
      expect(res.status, name).toBe(403);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/over every tenant/);
    }
  });

  it("shows the limited actor the audit events of its tenants only, and none of the others' actors", async () => {
    await createClient(actorWith("admin", "b-only@bank.test"), b, { name: "Audited in B", tokenEndpointAuthMethod: "client_secret_basic" });
    await createClient(actorWith("admin", "a-side@bank.test"), a, { name: "Audited in A", tokenEndpointAuthMethod: "client_secret_basic" });
    const page = (await (await call(contract.listAudit, {}, scopedViewer)).json()) as { items: { tenant: string | null }[] };
    expect(page.items.length).toBeGreaterThan(0);
    expect(new Set(page.items.map((e) => e.tenant))).toEqual(new Set([a]));
    const other = await callRoute(contract.listAudit, {}, { token: scopedViewer, query: `tenant=${b}` });
    expect(other.status).toBe(404);
    const facets = await auditFacets({ ...actorWith("viewer"), tenants: [a] });
    expect(facets.actors).toContain("a-side@bank.test");
    expect(facets.actors).not.toContain("b-only@bank.test");
    expect((await auditFacets(ADMIN)).actors).toContain("b-only@bank.test");
  });

  it("lets the limited token do its work in its own tenant", async () => {
    const created = await call(contract.createClient, { tenant: a }, scopedAdmin, { name: "A's TPP", tokenEndpointAuthMethod: "client_secret_basic" });
    expect(created.status).toBe(201);
    const viewerWrite = await call(contract.createClient, { tenant: a }, scopedViewer, { name: 42 });
    // The role is checked before the body: a viewer learns nothing from validation errors.
    expect(viewerWrite.status).toBe(403);
  });
});
