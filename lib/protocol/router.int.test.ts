import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant, updateTenant } from "@/lib/tenants/tenants";
import { addSigningKey } from "@/lib/keys/add-key";
import { activateSigningKey } from "@/lib/keys/activate-key";
import { handleProtocolRequest } from "@/lib/protocol/router";
import { POLL_MS } from "@/lib/protocol/published-state";
import { ADMIN, actorWith, uniq } from "@/tests/integration/helpers";

const OPERATOR = actorWith("operator");
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (!handleProtocolRequest(req, res)) {
      res.writeHead(418);
      res.end("not a protocol route");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function tenantWithKey() {
  const slug = (await createTenant(ADMIN, { slug: uniq("pub").replace(/-/g, "_"), name: "Pub" })).slug;
  const key = await addSigningKey(OPERATOR, slug, { source: "generate", alg: "ES256" });
  await activateSigningKey(OPERATOR, slug, key.kid);
  return { slug, kid: key.kid };
}

describe("the public JWKS endpoint", () => {
  it("answers the keys with caching headers, a strong ETag, CORS, and 304 for If-None-Match", async () => {
    const { slug, kid } = await tenantWithKey();
    const res = await fetch(`${base}/${slug}/oauth2/v1/certs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    const body = (await res.json()) as { keys: { kid: string; kty: string; use: string; alg: string }[] };
    expect(body.keys).toEqual([expect.objectContaining({ kid, kty: "EC", use: "sig", alg: "ES256", crv: "P-256" })]);

    const again = await fetch(`${base}/${slug}/oauth2/v1/certs`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(await again.text()).toBe("");
    expect((await fetch(`${base}/${slug}/oauth2/v1/certs`, { headers: { "if-none-match": `"other", W/${etag}` } })).status).toBe(304);
    expect((await fetch(`${base}/${slug}/oauth2/v1/certs`, { headers: { "if-none-match": '"stale"' } })).status).toBe(200);

    const head = await fetch(`${base}/${slug}/oauth2/v1/certs`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(JSON.stringify(body))));
  });

  it("shows a change at once, with a new ETag, and the tenant's max-age", async () => {
    const { slug } = await tenantWithKey();
    const before = await fetch(`${base}/${slug}/oauth2/v1/certs`);
    const etag = before.headers.get("etag")!;
    const added = await addSigningKey(OPERATOR, slug, { source: "generate", alg: "ES256" });
    const after = await fetch(`${base}/${slug}/oauth2/v1/certs`, { headers: { "if-none-match": etag } });
    expect(after.status).toBe(200);
    expect(((await after.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid)).toContain(added.kid);
    await updateTenant(ADMIN, slug, { jwksMaxAgeSeconds: 60 });
    expect((await fetch(`${base}/${slug}/oauth2/v1/certs`)).headers.get("cache-control")).toBe("public, max-age=60");
  });

  it("sees a change made by another instance within the poll interval, without a query per request", async () => {
    const { slug, kid } = await tenantWithKey();
    await fetch(`${base}/${slug}/oauth2/v1/certs`);
    // Another instance retires the key: only the database changes here.
    await db().$transaction([
      db().signingKey.updateMany({ where: { kid }, data: { state: "removed" } }),
      db().tenant.update({ where: { slug }, data: { publishVersion: { increment: 1 } } }),
    ]);
    const deadline = Date.now() + POLL_MS * 4;
    let keys = 1;
    while (Date.now() < deadline && keys > 0) {
      await new Promise((r) => setTimeout(r, 100));
      keys = ((await (await fetch(`${base}/${slug}/oauth2/v1/certs`)).json()) as { keys: unknown[] }).keys.length;
    }
    expect(keys).toBe(0);
  });

  it("answers 404 JSON for an unknown tenant or app, 405 for other methods, and CORS preflights", async () => {
    const { slug } = await tenantWithKey();
    const unknown = await fetch(`${base}/no_such_tenant_x/oauth2/v1/certs`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: "not_found", error_description: 'no tenant "no_such_tenant_x"' });
    expect((await fetch(`${base}/${slug}/oauth2/v1/certs/app/unknown-app`)).status).toBe(404);
    const post = await fetch(`${base}/${slug}/oauth2/v1/certs`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    const preflight = await fetch(`${base}/${slug}/oauth2/v1/certs`, { method: "OPTIONS" });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET, HEAD");
    expect((await fetch(`${base}/${slug}/somewhere-else`)).status).toBe(418);
  });

  it("serves discovery pointing at the JWKS", async () => {
    const { slug } = await tenantWithKey();
    const res = await fetch(`${base}/${slug}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({ issuer: `http://keyward.test/${slug}`, jwks_uri: `http://keyward.test/${slug}/oauth2/v1/certs` });
    expect((doc.id_token_signing_alg_values_supported as string[])[0]).toBe("ES256");
  });
});
