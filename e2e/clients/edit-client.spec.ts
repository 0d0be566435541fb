import { expect, test } from "@playwright/test";
import { startTestJwksServer, type TestJwksServer } from "../../lib/jwks-fetch/test-jwks-server";
import { adminApi, unique } from "../fixtures/api";
import { E2E } from "../fixtures/env";
import { expectNoSeriousViolations } from "../fixtures/a11y";

let jwks: TestJwksServer;
test.beforeAll(async () => {
  jwks = await startTestJwksServer({ alg: "PS256", host: E2E.outboundAllow });
});
test.afterAll(async () => {
  await jwks.close();
});

async function tenant(prefix: string, profile?: string): Promise<string> {
  const api = await adminApi();
  const slug = unique(prefix).toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  expect((await api.post("/api/v1/tenants", { data: { slug, name: "Metadata Bank", ...(profile ? { profile } : {}) } })).status()).toBe(201);
  await api.dispose();
  return slug;
}

test("an admin creates a web client with its grants, response types, redirect URIs and algorithms, is told what is inconsistent, and edits it", async ({ page }) => {
  const slug = await tenant("webtpp", "ob-uk");
  const name = `Web TPP ${unique("w")}`;
  await page.goto(`/tenants/${slug}/clients/new`);
  const form = page.getByRole("form", { name: "New client" });
  await form.getByLabel("Name").fill(name);
  await form.getByRole("radio", { name: /tls_client_auth/ }).check();
  await form.getByLabel("Subject DN of the transport certificate").fill("CN=web.tpp.example,O=Web TPP Ltd,C=GB");
  await form.getByRole("checkbox", { name: /^authorization_code/ }).check();
  await form.getByRole("checkbox", { name: "code id_token", exact: true }).check();
  // The OB UK profile offers PS256 only.
  await expect(form.getByLabel("ID tokens").locator("option")).toHaveText(["not set", "PS256"]);
  await form.getByLabel("ID tokens").selectOption("PS256");
  await form.getByLabel("Request objects").selectOption("PS256");
  await form.getByRole("button", { name: "Create client" }).click();
  // authorization_code without a redirect URI: refused beside the field, nothing created.
  await expect(form.locator("#redirectUris-error")).toHaveText("grant_types authorization_code need at least one redirect URI");
  await expect(page.getByTestId("created-client-box")).toHaveCount(0);

  await form.getByLabel("Redirect URIs").fill("https://web.tpp.example/cb#frag");
  await form.getByRole("button", { name: "Create client" }).click();
  await expect(form.locator("#redirectUris-error")).toContainText("Item 1: must not have a fragment");

  await form.getByLabel("Redirect URIs").fill("https://web.tpp.example/cb\nhttps://web.tpp.example/cb2");
  await form.getByLabel("Roles (optional)").fill("AISP, PISP");
  await form.getByRole("button", { name: "Create client" }).click();
  const clientId = await page.getByTestId("created-client-box").getByLabel("client_id").inputValue();

  await page.goto(`/tenants/${slug}/clients/${clientId}`);
  const metadata = page.getByTestId("client-metadata");
  await expect(page.getByTestId("client-redirect-uris")).toContainText("https://web.tpp.example/cb2");
  await expect(metadata).toContainText("code id_token");
  await expect(metadata).toContainText("ID tokens: PS256");
  await expect(metadata).toContainText("AISP, PISP");

  await page.getByRole("link", { name: "Edit" }).click();
  const edit = page.getByRole("form", { name: "Edit client" });
  await expect(edit.getByLabel("Redirect URIs")).toHaveValue("https://web.tpp.example/cb\nhttps://web.tpp.example/cb2");
  await expectNoSeriousViolations(page);
  // Dropping authorization_code while code id_token stays is refused with the reason.
  await edit.getByRole("checkbox", { name: /^authorization_code/ }).uncheck();
  await edit.getByRole("checkbox", { name: /^client_credentials/ }).check();
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.locator("#responseTypes-error")).toHaveText("response_types code id_token need grant_types authorization_code");
  await edit.getByRole("checkbox", { name: "code id_token", exact: true }).uncheck();
  await edit.getByLabel("Redirect URIs").fill("");
  await edit.getByLabel("ID tokens").selectOption("");
  await edit.getByLabel("Name").fill(`${name} (renamed)`);
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/clients/${clientId}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${name} (renamed)`);
  await expect(page.getByTestId("client-redirect-uris")).toHaveText("none");
  await expect(metadata).not.toContainText("ID tokens");
  await expect(metadata).toContainText("Request objects: PS256");
});

test("an admin tests a client's jwks_uri and sees its keys, then the upstream's fault in the health", async ({ page }) => {
  const slug = await tenant("jwkstpp");
  const api = await adminApi();
  const created = await api.post(`/api/v1/tenants/${slug}/clients`, {
    data: { name: "Publishing TPP", tokenEndpointAuthMethod: "private_key_jwt", jwksUri: jwks.jwksUrl, tokenEndpointAuthSigningAlg: "PS256" },
  });
  expect(created.status()).toBe(201);
  const { clientId } = (await created.json()) as { clientId: string };
  await api.dispose();

  await page.goto(`/tenants/${slug}/clients/${clientId}`);
  const test = page.getByRole("form", { name: "Test the client's jwks_uri" });
  await test.getByRole("button", { name: "Test jwks_uri" }).click();
  const result = test.getByTestId("client-keys-test-result");
  await expect(result).toContainText("1 key fetched");
  await expect(result.getByTestId("client-key-row")).toHaveAttribute("data-kid", jwks.keys[0]!.kid);
  await expect(result.getByRole("button", { name: /Remove/ })).toHaveCount(0);

  jwks.behave({ kind: "status", status: 500 });
  try {
    await test.getByRole("button", { name: "Test jwks_uri" }).click();
    await expect(test.getByRole("alert")).toContainText("HTTP 500");
    await page.reload();
    await expect(page.getByTestId("idp-last-error")).toContainText("HTTP 500");
  } finally {
    jwks.behave({ kind: "jwks" });
  }
});
