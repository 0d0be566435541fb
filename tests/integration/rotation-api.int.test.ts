import { describe, expect, it } from "vitest";
import * as rotateRoute from "@/app/api/v1/tenants/[tenant]/rotate/route";
import * as rotationRoute from "@/app/api/v1/tenants/[tenant]/rotation/route";
import * as policyRoute from "@/app/api/v1/tenants/[tenant]/rotation-policy/route";
import * as activateRoute from "@/app/api/v1/tenants/[tenant]/keys/[kid]/activate/route";
import * as revokeRoute from "@/app/api/v1/tenants/[tenant]/keys/[kid]/revoke/route";
import { createTenant } from "@/lib/tenants/tenants";
import { ADMIN, tokenFor, uniq } from "./helpers";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(handler: Handler, method: string, path: string, params: Record<string, string>, token: string, body?: unknown) {
  const res = await handler(
    new Request(`http://keyward.test${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    }),
    { params: Promise.resolve(params) },
  );
  return { status: res.status, type: res.headers.get("content-type"), body: (await res.json()) as Record<string, unknown> };
}

describe("the rotation API", () => {
  it("rotates (202 with the plan), refuses a second rotation and an early activation (409 naming why), and revokes the active key with a replacement", async () => {
    const slug = (await createTenant(ADMIN, { slug: uniq("rapi").replace(/-/g, "_"), name: "API Bank" })).slug;
    const operator = await tokenFor("operator");
    const p = { tenant: slug };
    const base = `/api/v1/tenants/${slug}`;

    const first = await call(rotateRoute.POST, "POST", `${base}/rotate`, p, operator, {});
    expect(first).toMatchObject({ status: 202, body: { activated: true, retiringKid: null } });
    const second = await call(rotateRoute.POST, "POST", `${base}/rotate`, p, operator, { alg: "ES256" });
    expect(second).toMatchObject({ status: 202, body: { alg: "ES256", activated: false, retiringKid: first.body.kid } });
    const third = await call(rotateRoute.POST, "POST", `${base}/rotate`, p, operator, {});
    expect(third.status).toBe(409);
    expect(third.type).toMatch(/application\/problem\+json/);
    expect(third.body.detail).toBe(`a rotation is already under way: key "${String(second.body.kid)}" activates at ${String(second.body.activatesAt)}; activate or retire it first`);

    const kp = { tenant: slug, kid: String(second.body.kid) };
    const early = await call(activateRoute.POST, "POST", `${base}/keys/${kp.kid}/activate`, kp, operator, { force: false });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/relying parties may not have fetched it yet: .* the propagation time ends at /);
    const blankReason = await call(activateRoute.POST, "POST", `${base}/keys/${kp.kid}/activate`, kp, operator, { force: true, reason: "  " });
    expect(blankReason).toMatchObject({ status: 400, body: { errors: [{ path: "reason" }] } });

    const status = await call(rotationRoute.GET, "GET", `${base}/rotation`, p, await tokenFor("viewer"));
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      scopes: [{ appId: null, active: { kid: first.body.kid }, pending: { kid: second.body.kid, activatesAt: second.body.activatesAt } }],
      rotateNow: { possible: false },
    });

    const revoke = await call(revokeRoute.POST, "POST", `${base}/keys/${String(first.body.kid)}/revoke`, { tenant: slug, kid: String(first.body.kid) }, operator, {
      reason: "key exposed in a log",
      replacementKid: second.body.kid,
    });
    expect(revoke).toMatchObject({ status: 200, body: { state: "revoked", replacedBy: second.body.kid } });
  });

  it("reads the policy for viewers and changes it for admins only, with field errors", async () => {
    const slug = (await createTenant(ADMIN, { slug: uniq("rapi").replace(/-/g, "_"), name: "API Bank" })).slug;
    const p = { tenant: slug };
    const path = `/api/v1/tenants/${slug}/rotation-policy`;
    expect(await call(policyRoute.GET, "GET", path, p, await tokenFor("viewer"))).toMatchObject({ status: 200, body: { propagationSeconds: 86_400 } });
    expect((await call(policyRoute.PUT, "PUT", path, p, await tokenFor("operator"), { retentionSeconds: 600 })).status).toBe(403);
    const admin = await tokenFor("admin");
    const bad = await call(policyRoute.PUT, "PUT", path, p, admin, { propagationSeconds: 10, retentionSeconds: "a week" });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path)).toEqual(["retentionSeconds"]);
    const ok = await call(policyRoute.PUT, "PUT", path, p, admin, {
      propagationSeconds: 3600,
      retentionSeconds: 86_400,
      rotationIntervalDays: 30,
      algorithm: "ES256",
      autoActivate: false,
      jwksMaxAgeSeconds: 600,
      expiryWarningDays: 14,
    });
    expect(ok).toMatchObject({
      status: 200,
      body: { propagationSeconds: 3600, rotationIntervalSeconds: 2_592_000, rotationIntervalDays: 30, algorithm: "ES256", autoActivate: false, jwksMaxAgeSeconds: 600, expiryWarningDays: 14 },
    });
  });
});
