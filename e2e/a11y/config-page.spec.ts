import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "../fixtures/a11y";
import { adminApi, unique } from "../fixtures/api";
import { shortPropagation, waitForPropagation } from "../fixtures/rotation";

let slug: string;

test.beforeAll(async () => {
  const api = await adminApi();
  slug = unique("a11y-config").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  expect((await api.post("/api/v1/tenants", { data: { slug, name: `E2E ${slug}` } })).status()).toBe(201);
  const key = await api.post(`/api/v1/tenants/${slug}/keys`, { data: { source: "generate" } });
  expect(key.status()).toBe(201);
  const kid = ((await key.json()) as { kid: string }).kid;
  expect((await api.post(`/api/v1/tenants/${slug}/keys/${encodeURIComponent(kid)}/activate`, { data: {} })).ok()).toBe(true);
  // The import switches the signing key to a11y-next: it must have propagated first.
  const wait = await shortPropagation(api, slug);
  expect((await api.post(`/api/v1/tenants/${slug}/keys`, { data: { source: "generate", kid: "a11y-next" } })).status()).toBe(201);
  await api.dispose();
  await waitForPropagation(wait);
});

test("the configuration page, with a diff, the apply dialog and errors, has no serious or critical axe violations", async ({ page }) => {
  await page.goto(`/tenants/${slug}/config`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Configuration");
  await expectNoSeriousViolations(page);

  const box = page.getByLabel("Configuration to import (JSON)", { exact: true });
  const doc = JSON.parse(await box.inputValue()) as { signing: { activeKid: string }; signingKeys: unknown[] };
  doc.signing.activeKid = "a11y-next";
  await box.fill(JSON.stringify(doc, null, 2));
  await page.getByRole("button", { name: "Review changes" }).click();
  await expect(page.getByTestId("config-change")).toHaveCount(1);
  await expectNoSeriousViolations(page);

  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectNoSeriousViolations(page);
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();

  doc.signingKeys.push({ kid: "nope" });
  await box.fill(JSON.stringify(doc, null, 2));
  await page.getByRole("button", { name: "Review changes" }).click();
  await expect(page.getByTestId("config-problems")).toBeVisible();
  await expectNoSeriousViolations(page);

  await box.fill("{ not json");
  await page.getByRole("button", { name: "Review changes" }).click();
  await expect(page.getByTestId("config-syntax-error")).toBeVisible();
  await expectNoSeriousViolations(page);
});
