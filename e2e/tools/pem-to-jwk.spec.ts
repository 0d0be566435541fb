import { expect, test } from "@playwright/test";
import { createUser, signInThroughPage } from "../fixtures/api";
import { makePemFixtures, type PemFixtures } from "../keys/pem-fixtures";

let fx: PemFixtures;

test.beforeAll(() => {
  fx = makePemFixtures();
});

async function jwkOnScreen(page: import("@playwright/test").Page): Promise<Record<string, unknown>> {
  return JSON.parse(await page.getByTestId("tool-jwk-value").inputValue()) as Record<string, unknown>;
}

test.describe("the PEM to JWK tool", () => {
  test("converts a certificate to a public JWK with x5t and x5c", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "PEM to JWK" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Convert a certificate to a JWK");
    const form = page.getByRole("form", { name: "Convert a certificate" });
    await expect(form.getByLabel("kid strategy")).toHaveValue("x5t");
    await form.getByLabel("Certificate (PEM)", { exact: true }).fill(fx.certPem);
    await form.getByRole("button", { name: "Convert to JWK" }).click();

    await expect(page.getByTestId("tool-jwk-value")).toHaveValue(/"x5t"/);
    await expect(page.getByTestId("tool-jwk-value")).toHaveValue(/"x5c"/);
    const jwk = await jwkOnScreen(page);
    expect(jwk).toMatchObject({ kty: "RSA", kid: fx.x5t, x5t: fx.x5t, x5c: [fx.derBase64] });
    expect(jwk).not.toHaveProperty("d");
    await expect(page.getByTestId("tool-subject")).toContainText("CN=bank.example");
    await expect(page.getByTestId("tool-sha256")).toHaveText(fx.sha256Fingerprint);
  });

  test("uses the kid the directory issued when it is given", async ({ page }) => {
    await page.goto("/tools/pem");
    const form = page.getByRole("form", { name: "Convert a certificate" });
    await form.getByLabel("Certificate (PEM)", { exact: true }).fill(fx.certPem);
    await form.getByLabel("kid strategy").selectOption("given");
    await form.getByLabel("kid", { exact: true }).fill("directory-issued-kid-1");
    await form.getByRole("button", { name: "Convert to JWK" }).click();
    await expect(page.getByTestId("tool-jwk-value")).toHaveValue(/"kid": "directory-issued-kid-1"/);
    expect(await jwkOnScreen(page)).toMatchObject({ kid: "directory-issued-kid-1", x5t: fx.x5t });
  });

  test("a private key pasted instead of a certificate is refused beside the field", async ({ page }) => {
    await page.goto("/tools/pem");
    const form = page.getByRole("form", { name: "Convert a certificate" });
    const field = form.getByLabel("Certificate (PEM)", { exact: true });
    await field.fill(fx.keyPem);
    await form.getByRole("button", { name: "Convert to JWK" }).click();
    await expect(form.locator("#tool-certificatePem-error")).toBeVisible();
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("jwk-result")).toHaveCount(0);
  });
});

test.describe("the PEM to JWK tool for a viewer", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a viewer finds and uses it", async ({ page }) => {
    await signInThroughPage(page, await createUser("viewer"));
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "PEM to JWK" }).click();
    await page.getByRole("form", { name: "Convert a certificate" }).getByLabel("Certificate (PEM)", { exact: true }).fill(fx.certPem);
    await page.getByRole("button", { name: "Convert to JWK" }).click();
    await expect(page.getByTestId("tool-jwk-value")).toHaveValue(new RegExp(`"x5t": "${fx.x5t}"`));
  });
});
