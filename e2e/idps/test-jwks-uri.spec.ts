import { expect, test } from "@playwright/test";
import { startTestJwksServer, type TestJwksServer } from "../../lib/jwks-fetch/test-jwks-server";
import { adminApi, unique } from "../fixtures/api";

let jwks: TestJwksServer;
test.beforeAll(async () => {
  jwks = await startTestJwksServer({ alg: "PS256", host: "127.0.0.2" });
});
test.afterAll(() => jwks.close());

test("an admin tests a jwks_uri, registers the IdP, refreshes its keys, and sees an upstream fault in its health", async ({ page }) => {
  const api = await adminApi();
  const slug = unique("idptest").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  expect((await api.post("/api/v1/tenants", { data: { slug, name: "IdP Test" } })).status()).toBe(201);
  await api.dispose();
  const kid = jwks.keys[0]!.kid;

  await page.goto(`/tenants/${slug}/identity-providers/new`);
  const form = page.getByRole("form", { name: "Register an identity provider" });
  await form.getByLabel("Issuer (name)").fill(`https://idp.${slug}.example`);
  await form.getByLabel("jwks_uri URL").fill(jwks.jwksUrl);
  await form.getByRole("button", { name: "Test" }).click();
  await expect(page.getByTestId("test-result")).toContainText("1 key found");
  await expect(page.getByTestId("test-result")).toContainText(kid);
  await form.getByRole("button", { name: "Save identity provider" }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/identity-providers/[^/]+$`));

  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(page.getByRole("form", { name: "Refresh the keys" })).toContainText(kid);

  jwks.behave({ kind: "status", status: 500 });
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(page.getByRole("form", { name: "Refresh the keys" })).toContainText("HTTP 500");
  await page.reload();
  await expect(page.getByText(/HTTP 500/).first()).toBeVisible();
  jwks.behave({ kind: "jwks" });
});
