import { expect, test } from "@playwright/test";
import { exportJWK, generateKeyPair } from "jose";
import { adminApi, unique } from "../fixtures/api";
import { expectNoSeriousViolations } from "../fixtures/a11y";
import { makeTppCertificate } from "../fixtures/tpp-certificate";

test("an admin adds a private_key_jwt client, uploads the TPP's certificate into its JWKS, refuses a private JWK, removes a key, suspends and deletes it", async ({ page }) => {
  const api = await adminApi();
  const slug = unique("tppkeys").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  expect((await api.post("/api/v1/tenants", { data: { slug, name: "TPP Keys Bank" } })).status()).toBe(201);
  await api.dispose();

  // The TPP's first key, as it would hand it over: a public JWK.
  const initial = await generateKeyPair("PS256", { extractable: true });
  const initialJwk = { ...(await exportJWK(initial.publicKey)), kid: "tpp-initial-key", alg: "PS256", use: "sig" };
  const name = `Fintech ${unique("tpp")}`;

  await page.goto(`/tenants/${slug}/clients/new`);
  const form = page.getByRole("form", { name: "New client" });
  await form.getByLabel("Name").fill(name);
  await form.getByRole("radio", { name: /private_key_jwt/ }).check();
  await form.getByLabel("Client JWKS").fill(JSON.stringify({ keys: [initialJwk] }));
  await form.getByRole("button", { name: "Create client" }).click();
  const clientId = await page.getByTestId("created-client-box").getByLabel("client_id").inputValue();
  expect(clientId).toMatch(/^kwc_/);

  // From the list to the client's page.
  await page.goto(`/tenants/${slug}/clients`);
  await page.getByTestId("client-row").filter({ hasText: name }).getByRole("link", { name: clientId }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/clients/${clientId}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByTestId("client-auth-method")).toHaveText("private_key_jwt");
  await expect(page.getByTestId("client-registered-via")).toContainText("Console");
  const rows = page.getByTestId("client-key-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-kid", "tpp-initial-key");
  await expect(rows.first()).toContainText("RSA 2048");
  await expectNoSeriousViolations(page);

  // The TPP's signing certificate, loaded from its file: kid = x5t, subject, and an expiry that is near.
  const soon = makeTppCertificate({ cn: "tpp.example", days: 20 });
  const addKey = page.getByRole("form", { name: "Add a key" });
  await addKey.getByTestId("certificatePem-file").setInputFiles(soon.path);
  await expect(addKey.getByRole("textbox", { name: "TPP signing certificate" })).toHaveValue(/BEGIN CERTIFICATE/);
  await addKey.getByRole("button", { name: "Add key" }).click();
  const soonRow = rows.and(page.locator(`[data-kid="${soon.x5t}"]`));
  await expect(soonRow).toBeVisible();
  await expect(soonRow.getByTestId("client-key-x5t")).toHaveText(soon.x5t);
  await expect(soonRow.getByTestId("client-key-subject")).toContainText("CN=tpp.example");
  await expect(soonRow.getByTestId("client-key-expiry")).toHaveText(/expires in (19|20) days/);
  await expect(addKey.getByRole("textbox", { name: "TPP signing certificate" })).toHaveValue("");

  // A second certificate, pasted: valid for a year.
  const later = makeTppCertificate({ cn: "tpp-next.example", days: 365 });
  await addKey.getByRole("textbox", { name: "TPP signing certificate" }).fill(later.pem);
  await addKey.getByRole("button", { name: "Add key" }).click();
  const laterRow = rows.and(page.locator(`[data-kid="${later.x5t}"]`));
  await expect(laterRow.getByTestId("client-key-expiry")).toHaveText(`valid until ${later.notAfter.toISOString().slice(0, 10)}`);
  await expect(rows).toHaveCount(3);

  // The same certificate twice is refused beside the field.
  await addKey.getByRole("textbox", { name: "TPP signing certificate" }).fill(later.pem);
  await addKey.getByRole("button", { name: "Add key" }).click();
  await expect(addKey.locator("#certificatePem-error")).toContainText(`already in the client's JWKS`);
  await expect(rows).toHaveCount(3);

  // A private JWK is refused with the service's message, beside the field; nothing is added.
  const stray = await generateKeyPair("PS256", { extractable: true });
  await addKey.getByRole("radio", { name: "Public JWK" }).check();
  await addKey.getByRole("textbox", { name: "Public JWK" }).fill(JSON.stringify({ ...(await exportJWK(stray.privateKey)), kid: "private-one" }));
  await addKey.getByRole("button", { name: "Add key" }).click();
  await expect(addKey.getByRole("textbox", { name: "Public JWK" })).toHaveAttribute("aria-invalid", "true");
  await expect(addKey.locator("#jwk-error")).toContainText("holds private members (d");
  await expect(rows).toHaveCount(3);
  await expectNoSeriousViolations(page);

  // Remove the first key, after the confirmation.
  const initialRow = rows.and(page.locator('[data-kid="tpp-initial-key"]'));
  await initialRow.getByRole("button", { name: "Remove key tpp-initial-key" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove this key?" });
  await expect(dialog).toContainText("tpp-initial-key");
  await dialog.getByRole("button", { name: "Remove key" }).click();
  await expect(initialRow).toHaveCount(0);
  await expect(rows).toHaveCount(2);

  // Suspend, then reactivate.
  await page.getByRole("button", { name: "Suspend" }).click();
  await page.getByRole("dialog", { name: `Suspend ${name}?` }).getByRole("button", { name: "Suspend" }).click();
  await expect(page.getByTestId("client-status")).toHaveText("suspended");
  await page.getByRole("button", { name: "Reactivate" }).click();
  await expect(page.getByTestId("client-status")).toHaveText("active");

  // Delete, confirming the client by name: back to the list, without it.
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const confirmDelete = page.getByRole("dialog", { name: `Delete client ${name}?` });
  await expect(confirmDelete).toContainText(clientId);
  await confirmDelete.getByRole("button", { name: "Delete client" }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/clients$`));
  await expect(page.getByText("This tenant has no clients yet")).toBeVisible();
});
