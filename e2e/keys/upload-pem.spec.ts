import { expect, test, type Page } from "@playwright/test";
import { createTenant, dropFile, keysOf, makePemFixtures, type PemFixtures } from "./pem-fixtures";

let fx: PemFixtures;

test.beforeAll(() => {
  fx = makePemFixtures();
});

function pemForm(page: Page) {
  return page.getByRole("form", { name: "Add a key: Upload PEM" });
}

test.describe("uploading a PEM certificate and key", () => {
  test("an admin uploads a certificate and an encrypted key, previews, saves, activates, and the kid is published with x5c", async ({ page, request }) => {
    const slug = await createTenant();
    await page.goto(`/tenants/${slug}`);
    await page.getByRole("link", { name: "Signing keys" }).click();
    await expect(page).toHaveURL(`/tenants/${slug}/keys`);
    await expect(page.getByText("This tenant has no signing keys yet")).toBeVisible();
    await page.getByRole("main").getByRole("link", { name: "Add a key" }).first().click();
    await expect(page).toHaveURL(`/tenants/${slug}/keys/new`);
    await expect(page.getByRole("tab", { name: "Upload PEM" })).toHaveAttribute("aria-selected", "true");

    const form = pemForm(page);
    // The certificate is dropped onto its textarea, the key chosen with the file picker.
    await dropFile(page, "#pem-certificatePem", "cert.pem", fx.certPem);
    await expect(form.getByLabel("Certificate (PEM, optional)", { exact: true })).toHaveValue(/-----BEGIN CERTIFICATE-----/);
    await expect(form.getByLabel("Passphrase of the private key")).toHaveCount(0);
    await form.getByTestId("pem-privateKeyPem-file").setInputFiles(fx.encryptedKeyPath);
    await expect(form.getByLabel("Private key (PEM)", { exact: true })).toHaveValue(/-----BEGIN ENCRYPTED PRIVATE KEY-----/);

    const passphrase = form.getByLabel("Passphrase of the private key");
    await expect(passphrase).toBeVisible();
    await passphrase.fill(fx.passphrase);
    await form.getByLabel("kid strategy (optional)").selectOption("x5t");
    await form.getByRole("button", { name: "Preview", exact: true }).click();

    const preview = form.getByTestId("key-preview");
    await expect(preview.getByTestId("preview-kid")).toHaveText(fx.x5t);
    await expect(preview.getByTestId("preview-alg")).toHaveText("PS256");
    await expect(preview.getByTestId("preview-subject")).toContainText("CN=bank.example");
    await expect(preview.getByTestId("preview-sha1")).toHaveText(fx.sha1Fingerprint);
    await expect(preview.getByTestId("preview-sha256")).toHaveText(fx.sha256Fingerprint);
    await expect(preview.getByTestId("preview-jwk")).toContainText('"x5c"');
    await expect(preview.getByTestId("preview-jwk")).not.toContainText('"d"');
    // A preview stores nothing.
    expect(await keysOf(slug)).toEqual([]);

    await form.getByRole("button", { name: "Save key" }).click();
    await expect(page).toHaveURL(`/tenants/${slug}/keys/${fx.x5t}`);
    await expect(page.getByTestId("toasts")).toContainText(`Key ${fx.x5t} added`);
    await expect(page.getByTestId("key-kid")).toHaveText(fx.x5t);
    await expect(page.getByTestId("key-state")).toHaveText("staged");
    await expect(page.getByTestId("cert-subject")).toContainText("CN=bank.example");

    await page.getByRole("button", { name: `Activate key ${fx.x5t}` }).click();
    const dialog = page.getByRole("dialog", { name: `Activate ${fx.x5t}?` });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Activate key" }).click();
    await expect(page.getByTestId("toasts")).toContainText(`Key ${fx.x5t} is now the signing key`);
    await expect(page.getByTestId("key-state")).toHaveText("active");

    const res = await request.get(`/${slug}/oauth2/v1/certs`);
    expect(res.status()).toBe(200);
    const jwks = (await res.json()) as { keys: Record<string, unknown>[] };
    const published = jwks.keys.find((k) => k.kid === fx.x5t);
    expect(published, JSON.stringify(jwks)).toBeDefined();
    expect(published?.x5c).toEqual([fx.derBase64]);
    expect(published?.x5t).toBe(fx.x5t);
    expect(published).not.toHaveProperty("d");

    // The list shows it under Active, with its certificate's subject.
    await page.goto(`/tenants/${slug}/keys`);
    const row = page.getByRole("region", { name: "Active keys" }).getByTestId("key-row");
    await expect(row).toHaveAttribute("data-kid", fx.x5t);
    await expect(row).toContainText("CN=bank.example");
  });

  test("a certificate with a key that is not its own shows an error naming the mismatch, and nothing is stored", async ({ page }) => {
    const slug = await createTenant();
    await page.goto(`/tenants/${slug}/keys/new`);
    const form = pemForm(page);
    const certificate = form.getByLabel("Certificate (PEM, optional)", { exact: true });
    const privateKey = form.getByLabel("Private key (PEM)", { exact: true });
    await certificate.fill(fx.certPem);
    await privateKey.fill(fx.otherKeyPem);
    await form.getByRole("button", { name: "Preview", exact: true }).click();

    // The crypto layer files the mismatch under the certificate (lib/crypto/key-matches-certificate.ts).
    await expect(form.locator("#pem-certificatePem-error")).toContainText("certificate and private key do not match");
    await expect(certificate).toHaveAttribute("aria-invalid", "true");
    await expect(certificate).toHaveAccessibleDescription(/certificate and private key do not match/);
    await expect(form.getByRole("alert")).toBeVisible();
    await expect(form.getByTestId("key-preview")).toHaveCount(0);
    await expect(form.getByRole("button", { name: "Save key" })).toHaveCount(0);
    // What was pasted stays, to be corrected.
    await expect(privateKey).toHaveValue(fx.otherKeyPem);
    expect(await keysOf(slug)).toEqual([]);
  });

  test("a wrong passphrase shows an error beside the passphrase field, and nothing is stored", async ({ page }) => {
    const slug = await createTenant();
    await page.goto(`/tenants/${slug}/keys/new`);
    const form = pemForm(page);
    await form.getByLabel("Certificate (PEM, optional)", { exact: true }).fill(fx.certPem);
    await form.getByLabel("Private key (PEM)", { exact: true }).fill(fx.encryptedKeyPem);
    const passphrase = form.getByLabel("Passphrase of the private key");
    await passphrase.fill("not-the-passphrase");
    await form.getByRole("button", { name: "Preview", exact: true }).click();

    await expect(form.locator("#pem-passphrase-error")).toHaveText("the passphrase does not decrypt this key");
    await expect(passphrase).toHaveAttribute("aria-invalid", "true");
    await expect(passphrase).toHaveValue("not-the-passphrase");
    expect(await keysOf(slug)).toEqual([]);
  });

  test("a file over 200 KB is refused in the browser", async ({ page }) => {
    const slug = await createTenant();
    await page.goto(`/tenants/${slug}/keys/new`);
    const form = pemForm(page);
    await form.getByTestId("pem-certificatePem-file").setInputFiles({ name: "huge.pem", mimeType: "application/x-pem-file", buffer: Buffer.alloc(201 * 1024, "A") });
    await expect(form.locator("#pem-certificatePem-error")).toHaveText("huge.pem is 201 KB; files over 200 KB are refused");
    await expect(form.getByLabel("Certificate (PEM, optional)", { exact: true })).toHaveValue("");
  });
});
