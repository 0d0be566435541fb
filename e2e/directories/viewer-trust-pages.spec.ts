import { expect, test } from "@playwright/test";
import { exportJWK, generateKeyPair } from "jose";
import { adminApi, createUser, signInThroughPage, unique } from "../fixtures/api";
import { expectNoSeriousViolations } from "../fixtures/a11y";

test.describe("clients, directories and the DCR tester for a viewer", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a viewer reads clients, their keys and directories, with no control that would change them", async ({ page }) => {
    const api = await adminApi();
    const slug = unique("viewtpp").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
    expect((await api.post("/api/v1/tenants", { data: { slug, name: "Viewer Bank" } })).status()).toBe(201);
    const key = await generateKeyPair("ES256", { extractable: true });
    const created = await api.post(`/api/v1/tenants/${slug}/clients`, {
      data: { name: "Read-only TPP", tokenEndpointAuthMethod: "private_key_jwt", jwks: { keys: [{ ...(await exportJWK(key.publicKey)), kid: "viewer-key" }] } },
    });
    expect(created.status()).toBe(201);
    const { clientId } = (await created.json()) as { clientId: string };
    const sandbox = await api.post(`/api/v1/tenants/${slug}/directories`, { data: { kind: "sandbox" } });
    expect(sandbox.status()).toBe(201);
    const { id } = (await sandbox.json()) as { id: string };
    await api.dispose();
    await signInThroughPage(page, await createUser("viewer"));

    await page.goto(`/tenants/${slug}/clients`);
    await expect(page.getByRole("link", { name: "New client" })).toHaveCount(0);
    await page.getByRole("link", { name: clientId }).click();
    await expect(page.getByTestId("client-key-row")).toHaveAttribute("data-kid", "viewer-key");
    for (const name of [/Remove/, /Suspend/, /Delete/, /Add key/]) await expect(page.getByRole("button", { name })).toHaveCount(0);
    await expect(page.getByRole("columnheader", { name: "Actions" })).toHaveCount(0);

    await page.goto(`/tenants/${slug}/directories/${id}`);
    await expect(page.getByTestId("directory-key-row")).toHaveCount(1);
    for (const name of [/Test/, /Delete/, /Issue/]) await expect(page.getByRole("button", { name })).toHaveCount(0);
    await expect(page.getByTestId("role-required")).toContainText("You need the operator role");

    await page.goto(`/tenants/${slug}/directories`);
    await expect(page.getByRole("link", { name: "Add a directory" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Create sandbox directory" })).toHaveCount(0);

    await page.goto(`/tenants/${slug}/dcr-tester`);
    await expect(page.getByTestId("role-required")).toContainText("You need the operator role");
    await expectNoSeriousViolations(page);
  });
});
