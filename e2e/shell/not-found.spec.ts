import { expect, test } from "@playwright/test";

test.describe("the not-found page", () => {
  for (const [path, heading] of [
    ["/tenants/does-not-exist", "This tenant does not exist"],
    ["/no/such/page", "This page does not exist"],
  ] as const) {
    test(`${path} shows the 404 page with a way back`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByText("404", { exact: true })).toBeVisible();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
      await page.getByRole("link", { name: "Back to the dashboard" }).click();
      await expect(page).toHaveURL("/");
      await expect(page.getByTestId("signed-in-as")).toBeVisible();
    });
  }

  test("an unknown address answers HTTP 404", async ({ page }) => {
    const res = await page.goto("/no/such/page");
    expect(res?.status()).toBe(404);
  });
});
