import { expect, test } from "@playwright/test";
import { adminApi, unique } from "../fixtures/api";

test("an admin limits an operator to one tenant: the operator sees and changes only that tenant, and the other answers not found", async ({ page, browser }) => {
  const api = await adminApi();
  const mine = unique("scope_a").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  const other = unique("scope_b").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  for (const slug of [mine, other]) expect((await api.post("/api/v1/tenants", { data: { slug, name: `Bank ${slug}` } })).status()).toBe(201);
  await api.dispose();

  const email = `${unique("scoped")}@keyward.test`.toLowerCase();
  const password = `Scoped-${unique("pw")}-Passphrase`;
  await page.goto("/admin/users");
  const form = page.getByRole("form", { name: "New user" });
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Name", { exact: true }).fill("Scoped Operator");
  await form.getByLabel("Role", { exact: true }).selectOption("operator");
  await form.getByLabel("Password (optional)").fill(password);
  await form.getByRole("radio", { name: /Only these tenants/ }).check();
  // None ticked: refused beside the field.
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.locator("#new-user-tenants-error")).toHaveText("lists at least one tenant (null means every tenant)");
  await form.getByRole("checkbox", { name: mine }).check();
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("toasts")).toContainText(`Created ${email}`);
  const row = page.locator(`[data-testid="user-row"][data-email="${email}"]`);
  await expect(row.getByTestId("user-tenants")).toHaveText(mine);

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    const operator = await context.newPage();
    await operator.goto("/login");
    await operator.getByLabel("Email").fill(email);
    await operator.getByLabel("Password").fill(password);
    await operator.getByRole("button", { name: "Sign in" }).click();
    await expect(operator.getByTestId("signed-in-as")).toHaveText(email);

    await operator.goto("/tenants");
    await expect(operator.getByRole("link", { name: mine, exact: true }).first()).toBeVisible();
    await expect(operator.getByText(other, { exact: true })).toHaveCount(0);
    await expect(operator.getByRole("link", { name: "Users" })).toHaveCount(0);

    // The other tenant's pages do not exist for this operator (the console streams, so the
    // not-found page comes with the shell's 200; the page is what the user sees).
    for (const path of [`/tenants/${other}`, `/tenants/${other}/clients/new`, `/tenants/${other}/keys`]) {
      await operator.goto(path);
      await expect(operator.getByRole("heading", { level: 1 })).toHaveText("This tenant does not exist");
    }
    await expect(operator.getByRole("form", { name: "New client" })).toHaveCount(0);

    // Its own tenant works as usual.
    await operator.goto(`/tenants/${mine}/clients/new`);
    const create = operator.getByRole("form", { name: "New client" });
    await create.getByLabel("Name", { exact: true }).fill("Scoped TPP");
    await create.getByRole("button", { name: "Create client" }).click();
    await expect(operator.getByTestId("created-client-box")).toBeVisible();
  } finally {
    await context.close();
  }

  // Widened back to every tenant by the admin.
  await page.reload();
  await row.locator("summary", { hasText: "Tenants" }).click();
  const scope = page.getByRole("form", { name: `Tenants of ${email}` });
  await scope.getByRole("radio", { name: "Every tenant" }).check();
  await scope.getByRole("button", { name: "Save tenants" }).click();
  await expect(page.getByTestId("toasts")).toContainText(`${email} now acts in every tenant`);
  await expect(row.getByTestId("user-tenants")).toHaveText("every tenant");
});
