import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { addKeyThroughApi, createTenant, makePemFixtures, type PemFixtures } from "../keys/pem-fixtures";

async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const violations = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}

let fx: PemFixtures;
let slug: string;
let pemKid: string;
let generatedKid: string;

test.beforeAll(async () => {
  fx = makePemFixtures();
  slug = await createTenant("a11y-keys");
  pemKid = await addKeyThroughApi(slug, { source: "pem", certificatePem: fx.certPem, privateKeyPem: fx.keyPem });
  generatedKid = await addKeyThroughApi(slug, { source: "generate", alg: "ES256" });
});

test.describe("accessibility of the signing key pages", () => {
  test("the keys list, with the activate dialog open, has no serious or critical axe violations", async ({ page }) => {
    await page.goto(`/tenants/${slug}/keys`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Signing keys");
    await expect(page.getByTestId("key-row")).toHaveCount(2);
    await expectNoSeriousViolations(page);

    await page.getByRole("button", { name: `Activate key ${pemKid}` }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await expectNoSeriousViolations(page);
  });

  test("the empty keys list has no serious or critical axe violations", async ({ page }) => {
    const empty = await createTenant("a11y-empty");
    await page.goto(`/tenants/${empty}/keys`);
    await expect(page.getByText("This tenant has no signing keys yet")).toBeVisible();
    await expectNoSeriousViolations(page);
  });

  test("the new key page, on every tab and with a preview and errors, has no serious or critical axe violations", async ({ page }) => {
    await page.goto(`/tenants/${slug}/keys/new`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Add a signing key");
    const form = page.getByRole("form", { name: "Add a key: Upload PEM" });
    await form.getByLabel("Private key (PEM)", { exact: true }).fill(fx.encryptedKeyPem);
    await expect(form.getByLabel("Passphrase of the private key")).toBeVisible();
    await expectNoSeriousViolations(page);

    // Errors beside the fields.
    await form.getByLabel("Certificate (PEM, optional)", { exact: true }).fill(fx.certPem);
    await form.getByLabel("Passphrase of the private key").fill("wrong");
    await form.getByRole("button", { name: "Preview", exact: true }).click();
    await expect(form.locator("#pem-passphrase-error")).toBeVisible();
    await expectNoSeriousViolations(page);

    for (const tab of ["Paste JWK", "Generate"]) {
      await page.getByRole("tab", { name: tab }).click();
      await expect(page.getByRole("form", { name: `Add a key: ${tab}` })).toBeVisible();
      await expectNoSeriousViolations(page);
    }

    const generate = page.getByRole("form", { name: "Add a key: Generate" });
    await generate.getByRole("button", { name: "Preview", exact: true }).click();
    await expect(generate.getByTestId("key-preview")).toBeVisible();
    await expectNoSeriousViolations(page);
  });

  test("a key's page with a certificate, and with the revoke dialog open, has no serious or critical axe violations", async ({ page }) => {
    await page.goto(`/tenants/${slug}/keys/${pemKid}`);
    await expect(page.getByTestId("key-kid")).toHaveText(pemKid);
    await expect(page.getByTestId("cert-subject")).toContainText("CN=bank.example");
    await expectNoSeriousViolations(page);

    await page.getByRole("button", { name: `Revoke key ${pemKid}` }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await expectNoSeriousViolations(page);
  });

  test("a key's page with a CSR on screen has no serious or critical axe violations", async ({ page }) => {
    await page.goto(`/tenants/${slug}/keys/${generatedKid}`);
    const csr = page.getByRole("form", { name: "Certificate signing request" });
    await csr.getByLabel("Subject", { exact: true }).fill("CN=bank.example,O=Bank");
    await csr.getByRole("button", { name: "Create CSR" }).click();
    await expect(page.getByTestId("csr-pem-value")).toHaveValue(/BEGIN CERTIFICATE REQUEST/);
    await expectNoSeriousViolations(page);
  });

  test("the PEM to JWK tool, empty and with a result, has no serious or critical axe violations", async ({ page }) => {
    await page.goto("/tools/pem");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Convert a certificate to a JWK");
    await expectNoSeriousViolations(page);

    await page.getByLabel("Certificate (PEM)", { exact: true }).fill(fx.certPem);
    await page.getByRole("button", { name: "Convert to JWK" }).click();
    await expect(page.getByTestId("tool-jwk-value")).toHaveValue(/"x5c"/);
    await expectNoSeriousViolations(page);
  });
});
