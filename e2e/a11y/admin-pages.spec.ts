import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { unique } from "../fixtures/api";

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

async function expectNoSeriousViolations(page: Page) {
  const violations = await seriousViolations(page);
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}

test.describe("accessibility of the admin pages", () => {
  for (const path of ["/admin/users", "/admin/tokens"]) {
    test(`${path} has no serious or critical axe violations`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.getByRole("table")).toBeVisible();
      await expectNoSeriousViolations(page);
    });
  }

  test("/admin/tokens with a new token on screen and the revoke dialog open has no serious or critical axe violations", async ({ page }) => {
    const name = unique("e2e-a11y-token");
    await page.goto("/admin/tokens");
    const form = page.getByRole("form", { name: "New token" });
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByTestId("created-token-box")).toBeVisible();
    await expectNoSeriousViolations(page);

    await page.getByRole("button", { name: `Revoke token ${name}` }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await expectNoSeriousViolations(page);
  });
});

test.describe("accessibility of the invite page", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("/invite/<bogus> has no serious or critical axe violations", async ({ page }) => {
    await page.goto("/invite/inv_not-a-real-invite-token-at-all");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link is invalid or has expired");
    await expectNoSeriousViolations(page);
  });
});
