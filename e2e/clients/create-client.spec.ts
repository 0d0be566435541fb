import { expect, test } from "@playwright/test";
import { adminApi, unique } from "../fixtures/api";
import { E2E } from "../fixtures/env";

test("an admin creates a client in the console, and its secret gets tokens at the token endpoint", async ({ page, request }) => {
  const api = await adminApi();
  const slug = unique("cli").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  expect((await api.post("/api/v1/tenants", { data: { slug, name: "Client Bank" } })).status()).toBe(201);
  // A fresh tenant has no signing key: the token endpoint needs an active one.
  const generated = await api.post(`/api/v1/tenants/${slug}/keys`, { data: { source: "generate" } });
  expect(generated.status()).toBe(201);
  const { kid } = (await generated.json()) as { kid: string };
  expect((await api.post(`/api/v1/tenants/${slug}/keys/${encodeURIComponent(kid)}/activate`, { data: {} })).status()).toBe(200);
  await api.dispose();

  // The tenant page links to its clients; the list starts empty.
  await page.goto(`/tenants/${slug}`);
  await page.getByRole("link", { name: "Clients", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/clients$`));
  await expect(page.getByText("This tenant has no clients yet")).toBeVisible();
  await page.getByRole("link", { name: "New client" }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/clients/new$`));

  const form = page.getByRole("form", { name: "New client" });
  // Field errors show beside their fields.
  await form.getByRole("checkbox", { name: "client_credentials" }).uncheck();
  await form.getByRole("button", { name: "Create client" }).click();
  await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(form.locator("#grantTypes-error")).toHaveText("needs at least one grant type");

  await form.getByLabel("Name").fill("Fintech TPP");
  await form.getByRole("radio", { name: /client_secret_basic/ }).check();
  await form.getByRole("checkbox", { name: "client_credentials" }).check();
  await form.getByLabel("Scope (optional)").fill("accounts");
  await form.getByRole("button", { name: "Create client" }).click();

  const box = page.getByTestId("created-client-box");
  await expect(box).toBeVisible();
  await expect(box).toContainText("will not be shown again");
  const clientId = await box.getByLabel("client_id").inputValue();
  const secret = await box.getByLabel("client_secret").inputValue();
  expect(clientId).not.toBe("");
  expect(secret).not.toBe("");

  await page.goto(`/tenants/${slug}/clients`);
  const row = page.getByTestId("client-row").filter({ hasText: clientId });
  await expect(row).toContainText("Fintech TPP");
  await expect(row).toContainText("client_secret_basic");
  await expect(row).toContainText("client_credentials");
  await expect(row).toContainText("active");
  // The secret was shown once: the list never shows it.
  await expect(page.getByText(secret)).toHaveCount(0);

  const tokenUrl = `${E2E.baseURL}/${slug}/oauth2/token`;
  const basic = (s: string) => `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(s)}`).toString("base64")}`;
  const ok = await request.post(tokenUrl, { form: { grant_type: "client_credentials" }, headers: { authorization: basic(secret) } });
  expect(ok.status(), await ok.text()).toBe(200);
  expect(await ok.json()).toMatchObject({ token_type: "Bearer", scope: "accounts" });

  const wrong = await request.post(tokenUrl, { form: { grant_type: "client_credentials" }, headers: { authorization: basic(`${secret}x`) } });
  expect(wrong.status()).toBe(401);
  expect((await wrong.json()).error).toBe("invalid_client");
});

test("an admin creates a mutual-TLS client: the subject DN is required, then shown on its page", async ({ page }) => {
  const api = await adminApi();
  const slug = unique("mtls").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  expect((await api.post("/api/v1/tenants", { data: { slug, name: "mTLS Bank" } })).status()).toBe(201);
  await api.dispose();

  await page.goto(`/tenants/${slug}/clients/new`);
  const form = page.getByRole("form", { name: "New client" });
  await form.getByLabel("Name").fill("Transport-bound TPP");
  await form.getByRole("radio", { name: /tls_client_auth/ }).check();
  await form.getByRole("button", { name: "Create client" }).click();
  const dn = form.getByLabel("Subject DN of the transport certificate");
  await expect(dn).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("is required with tls_client_auth")).toBeVisible();

  await dn.fill("CN=tpp.example,O=TPP Ltd,C=GB");
  await form.getByRole("button", { name: "Create client" }).click();
  const box = page.getByTestId("created-client-box");
  await expect(box).toContainText("mutual TLS");
  await expect(box.getByLabel("client_secret")).toHaveCount(0);
  const clientId = await box.getByLabel("client_id").inputValue();

  await page.goto(`/tenants/${slug}/clients/${encodeURIComponent(clientId)}`);
  await expect(page.getByText("CN=tpp.example,O=TPP Ltd,C=GB")).toBeVisible();
  await expect(page.getByText("tls_client_auth").first()).toBeVisible();
});
