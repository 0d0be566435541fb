import { expect, test as setup } from "@playwright/test";
import { E2E } from "./fixtures/env";

// Signs in once as the bootstrap admin and saves the session for the other specs.
setup("sign in as the admin", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E.adminEmail);
  await page.getByLabel("Password").fill(E2E.adminPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(E2E.adminEmail);
  await page.context().storageState({ path: E2E.adminStorageState });
});
