import { expect, test } from "@playwright/test";

// The README's picture of the console, taken from the real app on every run so
// it never shows a console that no longer exists.
test("the dashboard, for the README", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/?tenant=default");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("Public endpoints")).toBeVisible();
  await page.screenshot({ path: "docs/console.png" });
});
