import { expect, test } from "@playwright/test";
import { adminApi, unique } from "../fixtures/api";
import { E2E } from "../fixtures/env";

test("an admin creates a client in the console, and its secret gets tokens at the token endpoint", async ({ page, request }) => {
  const api = await adminApi();
  const slug = unique("cli").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  expect((await api.post("/api/v1/tenants", { data: { slug, name: "Client Bank" } })).status()).toBe(201);
  const key = await (await api.post(`/api/v1/tenants/${slug}/keys`, { data: { source: "generate" } })).json();
  expect((await api.post(`/api/v1/tenants/${slug}/keys/${key.kid}/activate`, { data: {} })).status()).toBe(200);

  await page.goto(`/tenants/${slug}/clients`);
  await page.getByLabel("Name").fill("Fintech TPP");
  await page.getByLabel("Scope (optional)").fill("accounts");
  await page.getByRole("button", { name: "Create client" }).click();
  const box = page.getByTestId("created-client-box");
  await expect(box).toBeVisible();
  const clientId = await box.getByLabel("client_id").inputValue();
  const secret = await box.getByLabel("client_secret").inputValue();
  await expect(page.getByTestId("client-row").filter({ hasText: clientId })).toContainText("client_secret_basic");

  const basic = (s: string) => `Basic ${Buffer.from(`${clientId}:${s}`).toString("base64")}`;
  const ok = await request.post(`${E2E.baseURL}/${slug}/oauth2/token`, { form: { grant_type: "client_credentials" }, headers: { authorization: basic(secret) } });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({ token_type: "Bearer", scope: "accounts" });
  const wrong = await request.post(`${E2E.baseURL}/${slug}/oauth2/token`, { form: { grant_type: "client_credentials" }, headers: { authorization: basic("wrong") } });
  expect(wrong.status()).toBe(401);
  expect((await wrong.json()).error).toBe("invalid_client");
  await api.dispose();
});
