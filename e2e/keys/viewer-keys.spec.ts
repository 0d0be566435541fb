import { expect, test } from "@playwright/test";
import { createUser, signInThroughPage } from "../fixtures/api";
import { addKeyThroughApi, createTenant } from "./pem-fixtures";

test.describe("signing keys for a viewer", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a viewer sees the keys and a key's details, with no control that would change them", async ({ page }) => {
    const slug = await createTenant("view");
    const kid = await addKeyThroughApi(slug, { source: "generate" });
    const viewer = await createUser("viewer");
    await signInThroughPage(page, viewer);

    await page.goto(`/tenants/${slug}/keys`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Signing keys");
    const row = page.getByTestId("key-row").filter({ has: page.getByRole("link", { name: kid }) });
    await expect(row).toHaveAttribute("data-state", "staged");
    await expect(page.getByRole("link", { name: "Add a key" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Activate/ })).toHaveCount(0);
    await expect(page.getByRole("columnheader", { name: "Actions" })).toHaveCount(0);

    await row.getByRole("link", { name: kid }).click();
    await expect(page).toHaveURL(`/tenants/${slug}/keys/${kid}`);
    await expect(page.getByTestId("key-state")).toHaveText("staged");
    await expect(page.getByLabel("Public JWK (as published)")).toHaveValue(new RegExp(`"kid": "${kid}"`));
    await expect(page.getByRole("link", { name: "Download public key (PEM)" })).toBeVisible();
    for (const name of [/Activate/, /Retire/, /Remove/, /Revoke/, /Create CSR/, /Attach/]) {
      await expect(page.getByRole("button", { name })).toHaveCount(0);
    }
    await expect(page.getByRole("form", { name: "Certificate signing request" })).toHaveCount(0);
    await expect(page.getByRole("form", { name: "Attach certificate" })).toHaveCount(0);

    // Reading is allowed: the public key downloads with the viewer's session.
    const href = await page.getByRole("link", { name: "Download public key (PEM)" }).getAttribute("href");
    const pem = await page.request.get(href ?? "");
    expect(pem.status()).toBe(200);
    expect(await pem.text()).toContain("-----BEGIN PUBLIC KEY-----");

    await page.goto(`/tenants/${slug}/keys/new`);
    await expect(page.getByTestId("role-required")).toContainText("You need the operator role");
    await expect(page.getByRole("tab")).toHaveCount(0);
  });
});
