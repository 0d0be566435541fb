import { expect, test } from "@playwright/test";
import { exportJWK, generateKeyPair } from "jose";
import { adminApi, unique } from "../fixtures/api";
import { expectNoSeriousViolations } from "../fixtures/a11y";

test("search, filters and pages narrow the client list, and survive in the URL", async ({ page }) => {
  const api = await adminApi();
  const slug = unique("search").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  expect((await api.post("/api/v1/tenants", { data: { slug, name: "Search Bank" } })).status()).toBe(201);
  const key = await generateKeyPair("ES256", { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(key.publicKey)), kid: "acme-accounts-key" }] };
  const ids: Record<string, string> = {};
  for (const [name, extra] of [
    ["Acme Payments", { tokenEndpointAuthMethod: "client_secret_basic" }],
    ["Acme Accounts", { tokenEndpointAuthMethod: "private_key_jwt", jwks }],
    ["Acme Savings", { tokenEndpointAuthMethod: "client_secret_basic" }],
    ["Globex Data", { tokenEndpointAuthMethod: "client_secret_basic" }],
  ] as const) {
    const res = await api.post(`/api/v1/tenants/${slug}/clients`, { data: { name, ...extra } });
    expect(res.status(), await res.text()).toBe(201);
    ids[name] = ((await res.json()) as { clientId: string }).clientId;
  }
  const suspended = await api.patch(`/api/v1/tenants/${slug}/clients/${ids["Acme Savings"]}`, { data: { status: "suspended" } });
  expect(suspended.status(), await suspended.text()).toBe(200);
  await api.dispose();

  const rows = page.getByTestId("client-row");
  const filters = page.getByRole("form", { name: "Search clients" });
  const names = async () => (await rows.locator("td:nth-child(2)").allTextContents()).sort();

  await page.goto(`/tenants/${slug}/clients`);
  await expect(rows).toHaveCount(4);
  await expectNoSeriousViolations(page);

  // Search: by name …
  await filters.getByLabel("Search").fill("Acme");
  await filters.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/[?&]q=Acme/);
  await expect(rows).toHaveCount(3);
  expect(await names()).toEqual(["Acme Accounts", "Acme Payments", "Acme Savings"]);

  // … then narrowed by status, keeping the search.
  await filters.getByLabel("Status").selectOption("suspended");
  await filters.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/status=suspended/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Acme Savings");
  await expect(rows.first()).toContainText("suspended");
  await expect(filters.getByLabel("Search")).toHaveValue("Acme");

  // By authentication method.
  await filters.getByLabel("Status").selectOption("");
  await filters.getByLabel("Authentication").selectOption("private_key_jwt");
  await filters.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/authMethod=private_key_jwt/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Acme Accounts");

  // By registration source: none of these registered themselves.
  await filters.getByLabel("Authentication").selectOption("");
  await filters.getByLabel("Registered via").selectOption("dcr");
  await filters.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/registeredVia=dcr/);
  await expect(page.getByText("No clients match these filters")).toBeVisible();
  await filters.getByLabel("Registered via").selectOption("console");
  await filters.getByRole("button", { name: "Search" }).click();
  await expect(rows).toHaveCount(3);

  // By client_id.
  await page.goto(`/tenants/${slug}/clients?q=${encodeURIComponent(ids["Globex Data"]!)}`);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Globex Data");

  // Pages keep the filters: three matches, two per page.
  await page.goto(`/tenants/${slug}/clients?q=Acme&limit=2`);
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId("clients-count")).toContainText("more on the next page");
  const firstPage = await names();
  await page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(page).toHaveURL(/q=Acme/);
  await expect(rows).toHaveCount(1);
  expect([...firstPage, ...(await names())].sort()).toEqual(["Acme Accounts", "Acme Payments", "Acme Savings"]);
  await expect(page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: "Next page" })).toHaveCount(0);
  await page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: "First page" }).click();
  await expect(rows).toHaveCount(2);

  // A hand-edited URL gets the service's message, not an error page.
  await page.goto(`/tenants/${slug}/clients?status=frozen`);
  await expect(page.getByTestId("clients-error")).toContainText("status");
  await expectNoSeriousViolations(page);
});
