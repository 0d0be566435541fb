import { expect, test } from "@playwright/test";
import { adminApi, createUser, signInThroughPage, unique } from "../fixtures/api";

test("two people edit the same client: the second save is refused with who changed it, keeps what was typed, and overwrites nothing", async ({ page, browser }) => {
  const api = await adminApi();
  const slug = unique("occ").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  expect((await api.post("/api/v1/tenants", { data: { slug, name: "Concurrency Bank" } })).status()).toBe(201);
  const created = await api.post(`/api/v1/tenants/${slug}/clients`, {
    data: { name: "Shared TPP", tokenEndpointAuthMethod: "client_secret_basic", grantTypes: ["client_credentials"], scope: "accounts" },
  });
  expect(created.status()).toBe(201);
  const { clientId } = (await created.json()) as { clientId: string };
  const editUrl = `/tenants/${slug}/clients/${clientId}/edit`;

  // An operator (a second admin would outlive the spec and stop the user specs
  // from finding the bootstrap admin the only one), in a browser of their own.
  const alice = await createUser("operator");
  const aliceContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const alicePage = await aliceContext.newPage();
  await signInThroughPage(alicePage, alice);

  // Both open the Edit page of the same client.
  await alicePage.goto(editUrl);
  await page.goto(editUrl);
  const aliceForm = alicePage.getByRole("form", { name: "Edit client" });
  const form = page.getByRole("form", { name: "Edit client" });
  await expect(aliceForm.getByLabel("Name")).toHaveValue("Shared TPP");
  await expect(form.getByLabel("Name")).toHaveValue("Shared TPP");

  // Alice saves first.
  await aliceForm.getByLabel("Name").fill("Shared TPP (Alice)");
  await aliceForm.getByRole("button", { name: "Save" }).click();
  await expect(alicePage).toHaveURL(new RegExp(`/tenants/${slug}/clients/${clientId}$`));
  await expect(alicePage.getByRole("heading", { level: 1 })).toHaveText("Shared TPP (Alice)");

  // The second save, from the form opened before Alice's change, is refused.
  await form.getByLabel("Name").fill("Shared TPP (mine)");
  await form.getByLabel("Scope").fill("accounts payments");
  await form.getByRole("button", { name: "Save" }).click();
  const alert = form.getByTestId("form-alert");
  await expect(alert).toContainText(`Client "${clientId}" was changed by ${alice.email} at`);
  await expect(alert).toContainText("since you opened this form. Reload to see the change; your edits were not saved.");
  await expect(alert.getByRole("link", { name: "Reload" })).toBeVisible();
  // Still on the form, with what was typed.
  await expect(page).toHaveURL(new RegExp(`${editUrl}$`));
  await expect(form.getByLabel("Name")).toHaveValue("Shared TPP (mine)");
  await expect(form.getByLabel("Scope")).toHaveValue("accounts payments");

  // Nothing was overwritten: Alice's change is what is stored.
  const stored = (await (await api.get(`/api/v1/tenants/${slug}/clients/${clientId}`)).json()) as { name: string; scope: string };
  expect(stored).toMatchObject({ name: "Shared TPP (Alice)", scope: "accounts" });

  // Reload shows Alice's change; a save from there goes through.
  await alert.getByRole("link", { name: "Reload" }).click();
  await expect(form.getByLabel("Name")).toHaveValue("Shared TPP (Alice)");
  await form.getByLabel("Scope").fill("accounts payments");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/clients/${clientId}$`));
  const after = (await (await api.get(`/api/v1/tenants/${slug}/clients/${clientId}`)).json()) as { name: string; scope: string };
  expect(after).toMatchObject({ name: "Shared TPP (Alice)", scope: "accounts payments" });

  await aliceContext.close();
  await api.dispose();
});
