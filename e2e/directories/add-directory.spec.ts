import { expect, test } from "@playwright/test";
import { startTestJwksServer, type TestJwksServer } from "../../lib/jwks-fetch/test-jwks-server";
import { adminApi, unique } from "../fixtures/api";
import { expectNoSeriousViolations } from "../fixtures/a11y";
import { E2E } from "../fixtures/env";

// The directory's keys on loopback 127.0.0.2, the one private address the server may fetch from.
let directoryKeys: TestJwksServer;
test.beforeAll(async () => {
  directoryKeys = await startTestJwksServer({ alg: "PS256", host: E2E.outboundAllow });
});
test.afterAll(async () => {
  await directoryKeys.close();
});

test("an admin adds an external directory by its JWKS URL, tests its keys, sees an upstream fault, and deletes it", async ({ page }) => {
  const api = await adminApi();
  const slug = unique("dirs").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  expect((await api.post("/api/v1/tenants", { data: { slug, name: "Directory Bank" } })).status()).toBe(201);
  await api.dispose();
  const kid = directoryKeys.keys[0]!.kid;

  await page.goto(`/tenants/${slug}/directories`);
  await page.getByRole("link", { name: "Add a directory" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/directories/new$`));
  await expectNoSeriousViolations(page);

  const form = page.getByRole("form", { name: "Add a directory" });
  // Field errors show beside their fields.
  await form.getByRole("button", { name: "Add directory" }).click();
  await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("JWKS URL")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page);

  await form.getByLabel("Name").fill("Open Banking sandbox");
  await form.getByLabel("Issuer").fill("OpenBanking Ltd");
  await form.getByLabel("Environment").selectOption("sandbox");
  await form.getByLabel("JWKS URL").fill(directoryKeys.jwksUrl);
  await form.getByRole("button", { name: "Add directory" }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/directories/[^/]+$`));
  await expect(page.getByTestId("directory-issuer")).toHaveText("OpenBanking Ltd");
  await expect(page.getByTestId("directory-health")).toContainText("not fetched yet");

  // Test: the keys, fetched now.
  const testForm = page.getByRole("form", { name: "Test the directory's keys" });
  await testForm.getByRole("button", { name: "Test" }).click();
  await expect(page.getByTestId("directory-test-result")).toContainText("1 key found");
  await expect(page.getByTestId("directory-tested-keys")).toContainText(kid);
  await expect(page.getByTestId("directory-health")).toContainText("ok");
  await expectNoSeriousViolations(page);

  // The list shows its issuer, environment, key source and health.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Directories" }).click();
  const row = page.getByTestId("directory-row").filter({ hasText: "Open Banking sandbox" });
  await expect(row).toContainText("OpenBanking Ltd");
  await expect(row).toContainText("sandbox");
  await expect(row).toContainText("JWKS URL");
  await expect(row).toContainText(directoryKeys.jwksUrl);
  await expect(row.getByTestId("directory-health")).toContainText("ok");
  await expectNoSeriousViolations(page);

  // The same issuer and environment twice is refused beside the issuer.
  await page.goto(`/tenants/${slug}/directories/new`);
  await form.getByLabel("Name").fill("Again");
  await form.getByLabel("Issuer").fill("OpenBanking Ltd");
  await form.getByLabel("JWKS URL").fill(directoryKeys.jwksUrl);
  await form.getByRole("button", { name: "Add directory" }).click();
  await expect(form.locator("#issuer-error")).toContainText("already configured for sandbox");

  // An upstream fault: Test shows it, and the health keeps it.
  await page.goto(`/tenants/${slug}/directories`);
  await row.getByRole("link", { name: "Open Banking sandbox" }).click();
  directoryKeys.behave({ kind: "status", status: 500 });
  try {
    await testForm.getByRole("button", { name: "Test" }).click();
    await expect(testForm.getByTestId("form-alert")).toContainText("HTTP 500");
    await page.reload();
    await expect(page.getByTestId("directory-health-error")).toContainText("HTTP 500");
  } finally {
    directoryKeys.behave({ kind: "jwks" });
  }

  // Delete, confirming the directory by name: back to the list, without it.
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Delete directory Open Banking sandbox?" });
  await expect(dialog).toContainText("OpenBanking Ltd");
  await dialog.getByRole("button", { name: "Delete directory" }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/directories$`));
  await expect(page.getByText("This tenant trusts no directory yet")).toBeVisible();
});
