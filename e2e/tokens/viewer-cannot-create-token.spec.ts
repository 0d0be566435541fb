import { expect, test } from "@playwright/test";
import { createUser, signInThroughPage } from "../fixtures/api";

test.describe("a viewer and API tokens", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a viewer sees no API tokens link and no form to create one", async ({ page }) => {
    const viewer = await createUser("viewer");
    await signInThroughPage(page, viewer);

    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Audit log" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "API tokens" })).toHaveCount(0);

    await page.goto("/admin/tokens");
    await expect(page.getByTestId("role-required")).toContainText("You need the admin role");
    await expect(page.getByRole("form", { name: "New token" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Create token" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  });
});
