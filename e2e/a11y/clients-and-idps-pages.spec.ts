import { expect, test } from "@playwright/test";
import { adminApi, unique } from "../fixtures/api";
import { expectNoSeriousViolations } from "../fixtures/a11y";

let slug: string;

test.beforeAll(async () => {
  const api = await adminApi();
  slug = unique("a11y-tpp").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  expect((await api.post("/api/v1/tenants", { data: { slug, name: `E2E ${slug}` } })).status()).toBe(201);
  expect((await api.post(`/api/v1/tenants/${slug}/clients`, { data: { name: "A11y TPP", tokenEndpointAuthMethod: "client_secret_basic" } })).status()).toBe(201);
  await api.dispose();
});

for (const path of ["clients", "clients/new", "identity-providers", "identity-providers/new"]) {
  test(`/tenants/<t>/${path} has no serious or critical axe violations`, async ({ page }) => {
    await page.goto(`/tenants/${slug}/${path}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSeriousViolations(page);
  });
}
