import { expect, test, type Page } from "@playwright/test";
import { adminApi, createUser, unique, signInThroughPage } from "../fixtures/api";
import { E2E } from "../fixtures/env";

function newTenantForm(page: Page) {
  return page.getByRole("form", { name: "New tenant" });
}

async function tenantNames(): Promise<string[]> {
  const api = await adminApi();
  const res = await api.get("/api/v1/tenants");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { items: { slug: string; name: string }[] };
  await api.dispose();
  return body.items.map((t) => t.name);
}

test.describe("tenants", () => {
  test("an admin creates a tenant, opens it and renames it", async ({ page }) => {
    const slug = unique("t").toLowerCase();
    const name = `E2E tenant ${slug}`;

    await page.goto("/tenants");
    const form = newTenantForm(page);
    await expect(form.getByLabel("Slug")).toHaveAccessibleDescription(/part of the issuer URL, cannot change later/);
    await form.getByLabel("Slug").fill(slug);
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Profile").selectOption("ob-uk");
    await form.getByRole("button", { name: "Create tenant" }).click();

    await expect(page.getByTestId("toasts")).toContainText(`Tenant ${slug} created`);
    const row = page.getByTestId("tenant-row").filter({ hasText: slug });
    await expect(row).toContainText(name);
    await expect(row).toContainText("Open Banking UK");
    await expect(row).toContainText(`${E2E.baseURL}/${slug}`);
    await expect(form.getByLabel("Slug")).toHaveValue("");

    await row.getByRole("link", { name: slug }).click();
    await expect(page).toHaveURL(`/tenants/${slug}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    await expect(page.getByTestId("endpoint-issuer-value")).toHaveValue(`${E2E.baseURL}/${slug}`);
    await expect(page.getByTestId("endpoint-jwks-value")).toHaveValue(`${E2E.baseURL}/${slug}/oauth2/v1/certs`);

    const renamed = `${name} renamed`;
    const edit = page.getByRole("form", { name: "Edit tenant" });
    await edit.getByLabel("Name").fill(renamed);
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByTestId("toasts")).toContainText(`Tenant ${slug} saved`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(renamed);
    await expect(edit.getByLabel("Name")).toHaveValue(renamed);

    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(renamed);
    expect(await tenantNames()).toContain(renamed);
  });

  for (const [slug, message] of [
    ["api", "is reserved by Keyward's own routes"],
    ["Bad Slug!", "may contain only lowercase letters, digits, '-' and '_', starting with a letter or digit"],
  ] as const) {
    test(`the slug "${slug}" is refused beside the slug field and nothing is created`, async ({ page }) => {
      const name = unique("refused");
      await page.goto("/tenants");
      const form = newTenantForm(page);
      await form.getByLabel("Slug").fill(slug);
      await form.getByLabel("Name").fill(name);
      await form.getByRole("button", { name: "Create tenant" }).click();

      const slugField = form.getByLabel("Slug");
      await expect(form.locator("#slug-error")).toHaveText(message);
      await expect(slugField).toHaveAttribute("aria-invalid", "true");
      await expect(slugField).toHaveAccessibleDescription(new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      await expect(form.getByRole("alert")).toBeVisible();
      // The refused input stays in the form to be corrected.
      await expect(slugField).toHaveValue(slug);
      await expect(form.getByLabel("Name")).toHaveValue(name);

      await expect(page.getByTestId("tenant-row").filter({ hasText: name })).toHaveCount(0);
      expect(await tenantNames()).not.toContain(name);
    });
  }

  test("an unknown tenant shows the not-found page", async ({ page }) => {
    await page.goto(`/tenants/${unique("missing")}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This tenant does not exist");
  });
});

test.describe("tenants for a viewer", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a viewer sees the tenants but no create or edit form", async ({ page }) => {
    const viewer = await createUser("viewer");
    await signInThroughPage(page, viewer);

    await page.goto("/tenants");
    await expect(page.getByTestId("tenant-row").filter({ hasText: "default" }).first()).toBeVisible();
    await expect(page.getByRole("form", { name: "New tenant" })).toHaveCount(0);

    await page.goto("/tenants/default");
    await expect(page.getByTestId("endpoint-issuer-value")).toHaveValue(`${E2E.baseURL}/default`);
    await expect(page.getByRole("form", { name: "Edit tenant" })).toHaveCount(0);
  });
});
