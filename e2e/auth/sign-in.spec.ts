import { expect, test } from "@playwright/test";
import { adminApi, createUser, signInThroughPage } from "../fixtures/api";

test.describe("signing in", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a wrong password is refused with a clear message, then the right one signs in", async ({ page }) => {
    const user = await createUser("operator");
    await page.goto("/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill("not-the-password-at-all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("login-error")).toHaveText("Email or password is incorrect.");
    await expect(page).toHaveURL(/\/login/);

    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("signed-in-as")).toHaveText(user.email);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });

  for (const path of ["/", "/tenants", "/audit", "/admin/users", "/admin/tokens"]) {
    test(`a signed-out visit to ${path} lands on the sign-in page`, async ({ page }) => {
      await page.goto(path);
      await expect(page).toHaveURL(/\/login/);
      await expect(page.getByRole("heading", { name: "Sign in to the console" })).toBeVisible();
    });
  }

  test("signing out ends the session", async ({ page }) => {
    const user = await createUser("viewer");
    await signInThroughPage(page, user);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/audit");
    await expect(page).toHaveURL(/\/login/);
  });

  test("disabling a signed-in user ends their session at the next request", async ({ page }) => {
    const user = await createUser("operator");
    await signInThroughPage(page, user);
    const api = await adminApi();
    const users = (await (await api.get("/api/v1/users")).json()) as { items: { id: string; email: string }[] };
    const id = users.items.find((u) => u.email === user.email)!.id;
    expect((await api.patch(`/api/v1/users/${id}`, { data: { disabled: true } })).status()).toBe(200);
    await page.goto("/audit");
    await expect(page).toHaveURL(/\/login/);
    const me = await page.request.get("/api/v1/me");
    expect(me.status()).toBe(401);
    await api.dispose();
  });
});
