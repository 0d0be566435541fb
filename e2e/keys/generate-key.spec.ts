import { expect, test } from "@playwright/test";
import { createTenant, keysOf } from "./pem-fixtures";

test.describe("generating a key", () => {
  test("an admin generates a PS256 key, sees it staged, and creates a CSR for it", async ({ page }) => {
    const slug = await createTenant("gen");
    await page.goto(`/tenants/${slug}/keys/new`);
    await page.getByRole("tab", { name: "Generate" }).click();
    await expect(page.getByRole("tab", { name: "Generate" })).toHaveAttribute("aria-selected", "true");
    const form = page.getByRole("form", { name: "Add a key: Generate" });
    const alg = form.getByLabel("Algorithm");
    // The profile's algorithms, PS256 first and chosen.
    await expect(alg).toHaveValue("PS256");
    await expect(alg.locator("option").first()).toHaveText("PS256");

    await form.getByRole("button", { name: "Preview", exact: true }).click();
    await expect(form.getByTestId("preview-alg")).toHaveText("PS256");
    await expect(form.getByTestId("preview-key")).toHaveText("RSA, 2048 bits");
    await expect(form.getByTestId("preview-generate-note")).toBeVisible();
    await form.getByRole("button", { name: "Save key" }).click();

    await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/keys/[A-Za-z0-9_-]{43}$`));
    await expect(page.getByTestId("key-state")).toHaveText("staged");
    const kid = (await page.getByTestId("key-kid").textContent())?.trim() ?? "";
    expect(await keysOf(slug)).toEqual([expect.objectContaining({ kid, state: "staged" })]);
    await expect(page.getByTestId("no-certificate")).toBeVisible();

    const csr = page.getByRole("form", { name: "Certificate signing request" });
    await csr.getByLabel("Subject", { exact: true }).fill("CN=bank.example,O=Bank");
    await csr.getByLabel("Subject alternative names (optional)").fill("DNS:bank.example");
    await csr.getByRole("button", { name: "Create CSR" }).click();
    await expect(page.getByTestId("toasts")).toContainText("Certificate signing request created");
    await expect(page.getByTestId("csr-pem-value")).toHaveValue(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+-----END CERTIFICATE REQUEST-----\n?$/);

    // The download link serves the same request, with the console session.
    const href = await page.getByRole("link", { name: "Download the CSR (.pem)" }).getAttribute("href");
    const download = await page.request.get(href ?? "");
    expect(download.status()).toBe(200);
    expect(await download.text()).toContain("-----BEGIN CERTIFICATE REQUEST-----");
  });

  test("a CSR with an empty subject is refused beside the subject field", async ({ page }) => {
    const slug = await createTenant("gen");
    await page.goto(`/tenants/${slug}/keys/new`);
    await page.getByRole("tab", { name: "Generate" }).click();
    const form = page.getByRole("form", { name: "Add a key: Generate" });
    await form.getByLabel("kid (optional)").fill(`${slug}-signing-1`);
    await form.getByRole("button", { name: "Preview", exact: true }).click();
    await expect(form.getByTestId("preview-kid")).toHaveText(`${slug}-signing-1`);
    await form.getByRole("button", { name: "Save key" }).click();
    await expect(page).toHaveURL(`/tenants/${slug}/keys/${slug}-signing-1`);

    const csr = page.getByRole("form", { name: "Certificate signing request" });
    await csr.getByRole("button", { name: "Create CSR" }).click();
    await expect(csr.locator("#csr-subject-error")).toBeVisible();
    await expect(csr.getByLabel("Subject", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("csr-result")).toHaveCount(0);
  });
});
