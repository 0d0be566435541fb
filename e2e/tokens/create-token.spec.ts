import { expect, test, type Page } from "@playwright/test";
import { unique } from "../fixtures/api";

function tokenRow(page: Page, name: string) {
  return page.locator(`[data-testid="token-row"][data-name="${name}"]`);
}

// Columns of the tokens table: Name, Role, Prefix, Created by, Created, Expires, Last used, Status, Actions.
const PREFIX = 3;
const EXPIRES = 6;
const LAST_USED = 7;
const STATUS = 8;

async function createToken(page: Page, token: { name: string; role: string; expiresOn?: string }) {
  const form = page.getByRole("form", { name: "New token" });
  await form.getByLabel("Name", { exact: true }).fill(token.name);
  await form.getByLabel("Role", { exact: true }).selectOption(token.role);
  if (token.expiresOn) await form.getByLabel("Expires on (optional)").fill(token.expiresOn);
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("toasts")).toContainText(`Created token ${token.name}`);
  await expect(page.getByTestId("created-token-box")).toContainText("will not be shown again");
  return page.getByTestId("created-token-value").inputValue();
}

test.describe("API tokens", () => {
  test("an admin creates a token, it works on the API, and stops working once revoked", async ({ page, request }) => {
    const name = unique("e2e-token");
    await page.goto("/admin/tokens");
    await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
    const token = await createToken(page, { name, role: "operator" });
    expect(token).toMatch(/^kw_[\w-]{40,}$/);

    const row = tokenRow(page, name);
    await expect(row.locator("td").nth(PREFIX)).toHaveText(`${token.slice(0, 10)}…`);
    await expect(row.locator("td").nth(EXPIRES)).toHaveText("never");
    await expect(row.locator("td").nth(LAST_USED)).toHaveText("never");
    await expect(row.locator("td").nth(STATUS)).toHaveText("active");

    const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ type: "token", role: "operator", label: `token:${name}` });

    await page.reload();
    await expect(row.locator("td").nth(LAST_USED)).toContainText("UTC");
    // The token itself is gone from the page after a reload.
    await expect(page.getByTestId("created-token-box")).toHaveCount(0);
    expect(await page.content()).not.toContain(token);

    await row.getByRole("button", { name: `Revoke token ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Revoke token ${name}?` });
    await dialog.getByRole("button", { name: "Revoke token" }).click();
    await expect(page.getByTestId("toasts")).toContainText(`Revoked token ${name}`);
    await expect(row.locator("td").nth(STATUS)).toHaveText("revoked");
    await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);

    const after = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
    expect(after.status()).toBe(401);
  });

  test("an expiry date becomes the end of that day in UTC", async ({ page }) => {
    const name = unique("e2e-expiring");
    const day = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    await page.goto("/admin/tokens");
    await createToken(page, { name, role: "viewer", expiresOn: day });
    const expires = tokenRow(page, name).locator("td").nth(EXPIRES);
    await expect(expires).toContainText(day);
    await expect(expires).toContainText("23:59 UTC");
    await expect(expires.locator("time")).toHaveAttribute("datetime", `${day}T23:59:59.999Z`);
  });
});
