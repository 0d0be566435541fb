import { expect, test, type Page } from "@playwright/test";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { adminApi, unique } from "../fixtures/api";
import { E2E } from "../fixtures/env";

async function createTenant(prefix: string): Promise<string> {
  const api = await adminApi();
  const slug = unique(prefix).toLowerCase();
  const res = await api.post("/api/v1/tenants", { data: { slug, name: `E2E ${slug}` } });
  expect(res.status(), await res.text()).toBe(201);
  await api.dispose();
  return slug;
}

function idpForm(page: Page) {
  return page.getByRole("form", { name: "Register an identity provider" });
}

async function signed(key: CryptoKey, kid: string, claims: { iss: string; aud: string; iat: number; exp: number }): Promise<string> {
  return new SignJWT({ sub: "customer-42" })
    .setProtectedHeader({ alg: "ES256", kid, typ: "JWT" })
    .setIssuer(claims.iss)
    .setAudience(claims.aud)
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .setJti(crypto.randomUUID())
    .sign(key);
}

test.describe("identity providers", () => {
  test("an admin registers an IdP with an inline JWKS and checks JWTs with the tester", async ({ page }) => {
    const slug = await createTenant("idp");
    const issuer = `https://idp.${slug}.example`;
    const kid = `${slug}-es256`;
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
    const tokenEndpoint = `${E2E.baseURL}/${slug}/oauth2/token`;

    await page.goto(`/tenants/${slug}`);
    await page.getByRole("link", { name: "Identity providers" }).click();
    await expect(page.getByRole("heading", { name: "Identity providers", level: 1 })).toBeVisible();
    await expect(page.getByText("This tenant has no identity providers yet")).toBeVisible();
    await page.getByRole("link", { name: "Register an identity provider" }).first().click();

    const form = idpForm(page);
    await expect(form.getByLabel("Audience (optional)")).toHaveAttribute("placeholder", tokenEndpoint);
    await form.getByLabel("Issuer (name)").fill(issuer);
    await form.getByRole("radio", { name: "Inline JWKS" }).check();
    await form.getByRole("textbox", { name: "JWKS (JSON)" }).fill(JSON.stringify({ keys: [jwk] }));
    // The default algorithms are checked.
    for (const alg of ["PS256", "RS256", "ES256", "ES384", "EdDSA"]) await expect(form.getByRole("checkbox", { name: alg, exact: true })).toBeChecked();
    await expect(form.getByRole("checkbox", { name: "RS512", exact: true })).not.toBeChecked();
    await form.getByRole("button", { name: "Save identity provider" }).click();

    await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/identity-providers/[^/]+$`));
    await expect(page.getByTestId("toasts")).toContainText(`Identity provider ${issuer} registered`);
    await expect(page.getByTestId("idp-name")).toHaveText(issuer);

    // In the list.
    await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Identity providers" }).click();
    const row = page.getByTestId("idp-row").filter({ hasText: issuer });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(tokenEndpoint);
    await expect(row).toContainText("inline JWKS");
    await expect(row).toContainText("enabled");
    await row.getByRole("link", { name: issuer }).click();

    // The detail page: the audience is the tenant's token endpoint, the inline key is listed.
    await expect(page.getByTestId("idp-audience")).toHaveText(tokenEndpoint);
    const audience = (await page.getByTestId("idp-audience").textContent())?.trim() ?? "";
    await expect(page.getByTestId("idp-keys")).toContainText(kid);

    // An expired JWT: the exp check fails, saying when it expired.
    const now = Math.floor(Date.now() / 1000);
    const tester = page.getByRole("form", { name: "JWT tester" });
    await tester.getByRole("textbox", { name: "JWT" }).fill(await signed(privateKey, kid, { iss: issuer, aud: audience, iat: now - 7200, exp: now - 3600 }));
    await tester.getByRole("button", { name: "Check JWT" }).click();
    const result = tester.getByTestId("jwt-result");
    await expect(result.getByTestId("check-exp")).toContainText("fail");
    await expect(result.getByTestId("check-exp")).toContainText("expired at");
    await expect(result.getByTestId("check-signature")).toContainText("pass");
    await expect(result.getByTestId("jwt-header")).toContainText(`"kid": "${kid}"`);
    await expect(result.getByTestId("jwt-claims")).toContainText(`"iss": "${issuer}"`);
    await expect(result).toContainText("invalid");

    // A fresh JWT passes every check.
    await tester.getByRole("textbox", { name: "JWT" }).fill(await signed(privateKey, kid, { iss: issuer, aud: audience, iat: now, exp: now + 300 }));
    await tester.getByRole("button", { name: "Check JWT" }).click();
    await expect(result.getByTestId("check-exp")).toContainText("pass");
    const checks = result.locator("[data-testid^='check-']");
    const count = await checks.count();
    expect(count).toBeGreaterThanOrEqual(10);
    for (let i = 0; i < count; i++) await expect(checks.nth(i)).toContainText("pass");
    await expect(result.getByText("valid", { exact: true })).toBeVisible();
  });

  test("a jwks_uri aimed at the metadata address is refused beside the field", async ({ page }) => {
    const slug = await createTenant("idp");
    await page.goto(`/tenants/${slug}/identity-providers/new`);
    const form = idpForm(page);
    await form.getByLabel("Issuer (name)").fill(`https://idp.${slug}.example`);
    const uri = form.getByLabel("jwks_uri URL");
    await uri.fill("https://169.254.169.254/jwks");

    // Test refuses it before anything is fetched…
    await form.getByRole("button", { name: "Test", exact: true }).click();
    await expect(form.locator("#jwksUri-error")).toBeVisible();
    await expect(uri).toHaveAttribute("aria-invalid", "true");

    // …and so does Save, beside the field; nothing is registered.
    await form.getByRole("button", { name: "Save identity provider" }).click();
    await expect(form.locator("#jwksUri-error")).toBeVisible();
    await expect(uri).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/identity-providers/new$`));
    await page.goto(`/tenants/${slug}/identity-providers`);
    await expect(page.getByText("This tenant has no identity providers yet")).toBeVisible();
  });
});
