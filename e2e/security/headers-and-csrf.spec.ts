import { expect, test } from "@playwright/test";
import { E2E } from "../fixtures/env";
import { unique } from "../fixtures/api";

test("console pages carry the security headers", async ({ page }) => {
  const res = await page.goto("/");
  const headers = res!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toContain("default-src 'self'");
  expect(headers["content-security-policy"]).toContain("object-src 'none'");
  // Scripts run by nonce, never as arbitrary inline code.
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-powered-by"]).toBeUndefined();
});

test("each page load gets its own nonce and the console still hydrates", async ({ page }) => {
  const first = (await page.goto("/"))!.headers()["content-security-policy"];
  const second = (await page.goto("/"))!.headers()["content-security-policy"];
  expect(first).not.toBe(second);
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto("/tenants");
  await page.getByLabel("Tenant", { exact: true }).selectOption("default");
  await expect(page).toHaveURL(/\?tenant=default$/);
  expect(violations).toEqual([]);
});

test("API answers carry a policy that runs nothing", async ({ request }) => {
  const res = await request.get("/api/v1/health");
  expect(res.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
});

test("the session cookie is HttpOnly and SameSite=Lax", async ({ context }) => {
  const cookies = await context.cookies(E2E.baseURL);
  const session = cookies.find((c) => c.name.endsWith("next-auth.session-token"));
  expect(session).toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");
});

test("a cross-origin change through the session cookie is refused; the same change with a bearer token works", async ({ page }) => {
  await page.goto("/");
  const slug = unique("csrf").toLowerCase();
  const forged = await page.request.post("/api/v1/tenants", {
    headers: { origin: "https://attacker.example", "content-type": "application/json" },
    data: { slug, name: "Forged" },
  });
  expect(forged.status()).toBe(403);
  expect(forged.headers()["content-type"]).toBe("application/problem+json");
  expect((await forged.json()).detail).toMatch(/cross-origin/);

  const sameOrigin = await page.request.post("/api/v1/tenants", {
    headers: { origin: E2E.baseURL, "content-type": "application/json" },
    data: { slug, name: "Same origin" },
  });
  expect(sameOrigin.status()).toBe(201);
});

test("API errors are problem+json naming the field", async ({ request }) => {
  const res = await request.post("/api/v1/tenants", {
    headers: { authorization: `Bearer ${E2E.apiToken}` },
    data: { slug: "Not A Slug", name: "" },
  });
  expect(res.status()).toBe(400);
  expect(res.headers()["content-type"]).toBe("application/problem+json");
  const body = await res.json();
  expect(body).toMatchObject({ status: 400, code: "validation_failed" });
  expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["name", "slug"]);

  const wrongType = await request.post("/api/v1/tenants", {
    headers: { authorization: `Bearer ${E2E.apiToken}`, "content-type": "text/plain" },
    data: "slug=x",
  });
  expect(wrongType.status()).toBe(415);
});
