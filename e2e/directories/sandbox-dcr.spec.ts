import { expect, test } from "@playwright/test";
import { startTestJwksServer, type TestJwksServer } from "../../lib/jwks-fetch/test-jwks-server";
import { registrationClaims } from "../../tests/integration/dcr-claims";
import { adminApi, unique } from "../fixtures/api";
import { expectNoSeriousViolations } from "../fixtures/a11y";
import { E2E } from "../fixtures/env";

// The TPP's software publishes its keys on loopback 127.0.0.2, the one
// private address the server may fetch from (KEYWARD_OUTBOUND_ALLOW).
let tpp: TestJwksServer;
test.beforeAll(async () => {
  tpp = await startTestJwksServer({ alg: "PS256", host: E2E.outboundAllow });
});
test.afterAll(async () => {
  await tpp.close();
});

const REDIRECT = "https://tpp.example/callback";

test("an admin runs a sandbox directory and issues an SSA; the TPP registers with it; the admin finds the client by DCR and reads its SSA", async ({ page, request }) => {
  test.setTimeout(90_000);
  const api = await adminApi();
  const slug = unique("dcr").toLowerCase().replace(/[^a-z0-9_]/g, "_");
  expect((await api.post("/api/v1/tenants", { data: { slug, name: "DCR Bank", profile: "ob-uk" } })).status()).toBe(201);
  // A client made by hand, which the DCR filter must leave out.
  expect((await api.post(`/api/v1/tenants/${slug}/clients`, { data: { name: "Hand-made TPP", tokenEndpointAuthMethod: "client_secret_basic" } })).status()).toBe(201);
  await api.dispose();
  const issuer = `${E2E.baseURL}/${slug}`;
  const softwareId = unique("sw");

  // From the clients to the directories; none yet.
  await page.goto(`/tenants/${slug}/clients`);
  await page.getByRole("link", { name: "Directories", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/directories$`));
  await expect(page.getByText("This tenant trusts no directory yet")).toBeVisible();
  await expectNoSeriousViolations(page);

  // One click: the sandbox directory, and its page.
  await page.getByRole("button", { name: "Create sandbox directory" }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/directories/[^/]+$`));
  await expect(page.getByTestId("directory-issuer")).toHaveText("Keyward Sandbox Directory");
  await expect(page.getByTestId("directory-key-row")).toHaveCount(1);
  await page.getByRole("form", { name: "Test the directory's keys" }).getByRole("button", { name: "Test" }).click();
  await expect(page.getByTestId("directory-test-result")).toContainText("1 key found");
  await expect(page.getByTestId("directory-tested-keys")).toContainText("PS256");
  await expectNoSeriousViolations(page);

  // Issue an SSA for the TPP's software; a bad redirect URI is named beside its field first.
  const form = page.getByRole("form", { name: "Issue a test software statement" });
  await form.getByLabel("Software ID").fill(softwareId);
  await form.getByLabel("Client name").fill("Sandbox TPP");
  await form.getByLabel("Organisation ID").fill("0015800001041REAAY");
  await form.getByLabel("Organisation name").fill("Sandbox TPP Ltd");
  await form.getByLabel("Redirect URIs").fill("not a url");
  await form.getByRole("checkbox", { name: "PISP" }).check();
  await form.getByLabel("Software JWKS endpoint").fill(tpp.jwksUrl);
  await form.getByRole("button", { name: "Issue software statement" }).click();
  await expect(form.locator("#redirectUris-error")).toContainText("absolute URL");
  await form.getByLabel("Redirect URIs").fill(`${REDIRECT}\nhttps://tpp.example/other`);
  await form.getByRole("button", { name: "Issue software statement" }).click();
  const issued = page.getByTestId("issued-ssa");
  await expect(issued.getByTestId("claim-software_id")).toContainText(softwareId);
  await expect(issued.getByTestId("claim-software_jwks_endpoint")).toContainText(tpp.jwksUrl);
  await expect(issued.getByTestId("claim-software_roles")).toContainText("PISP");
  const ssa = await issued.getByTestId("issued-ssa-value").inputValue();
  expect(ssa).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
  await expectNoSeriousViolations(page);

  // The TPP signs its registration request with its software's key; the tester says it passes, registering nothing.
  const good = await tpp.sign(registrationClaims(issuer, softwareId, ssa, { redirectUri: REDIRECT }));
  await page.getByRole("link", { name: "DCR tester" }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/dcr-tester$`));
  const tester = page.getByRole("form", { name: "DCR tester" });
  await tester.getByLabel("Registration request JWT").fill(good);
  await tester.getByRole("button", { name: "Check request" }).click();
  const result = page.getByTestId("dcr-result");
  await expect(result).toContainText("would register");
  await expect(result.locator('[data-testid="dcr-check"][data-ok="false"]')).toHaveCount(0);
  await expect(result.locator('[data-testid="dcr-check"][data-rule="software_statement.signature"]')).toContainText("Sandbox directory");
  await expect(result.getByTestId("dcr-ssa-claims").getByTestId("claim-software_id")).toContainText(softwareId);
  await expectNoSeriousViolations(page);

  // The TPP registers.
  const registered = await request.post(`${issuer}/register`, { data: good, headers: { "content-type": "application/jwt" } });
  expect(registered.status(), await registered.text()).toBe(201);
  const body = (await registered.json()) as { client_id: string; software_id: string; jwks_uri: string };
  expect(body).toMatchObject({ software_id: softwareId, jwks_uri: tpp.jwksUrl });

  // The admin finds it among the clients registered through DCR, and only it.
  await page.goto(`/tenants/${slug}/clients`);
  await expect(page.getByTestId("client-row")).toHaveCount(2);
  const filters = page.getByRole("form", { name: "Search clients" });
  await filters.getByLabel("Registered via").selectOption("dcr");
  await filters.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/registeredVia=dcr/);
  const rows = page.getByTestId("client-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(body.client_id);
  await expect(rows.first()).toContainText("Sandbox TPP");
  await expect(rows.first()).toContainText(softwareId);
  await expect(rows.first()).toContainText("DCR");

  // Its page: the metadata the TPP registered, and its software statement, raw and decoded.
  await rows.first().getByRole("link", { name: body.client_id }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sandbox TPP");
  await expect(page.getByTestId("client-registered-via")).toContainText("DCR");
  await expect(page.getByTestId("client-software-id")).toHaveText(softwareId);
  await expect(page.getByTestId("client-organisation")).toContainText("Sandbox TPP Ltd");
  await expect(page.getByTestId("client-redirect-uris")).toHaveText(REDIRECT);
  await expect(page.getByLabel("jwks_uri", { exact: true })).toHaveValue(tpp.jwksUrl);
  expect(await page.getByTestId("client-ssa-value").inputValue()).toBe(ssa);
  const claims = page.getByTestId("client-ssa-claims");
  await expect(claims.getByTestId("claim-iss")).toContainText("Keyward Sandbox Directory");
  await expect(claims.getByTestId("claim-software_id")).toContainText(softwareId);
  await expect(claims.getByTestId("claim-org_name")).toContainText("Sandbox TPP Ltd");
  await expectNoSeriousViolations(page);

  // Bad requests in the tester: each names its failing rule and the endpoint's answer.
  await page.goto(`/tenants/${slug}/dcr-tester`);
  const evil = await tpp.sign(registrationClaims(issuer, softwareId, ssa, { redirectUri: REDIRECT }, { redirect_uris: [REDIRECT, "https://evil.example/cb"] }));
  await tester.getByLabel("Registration request JWT").fill(evil);
  await tester.getByRole("button", { name: "Check request" }).click();
  await expect(result).toContainText("would be refused");
  const failing = result.locator('[data-testid="dcr-check"][data-ok="false"]');
  await expect(failing).toHaveCount(1);
  await expect(failing).toHaveAttribute("data-rule", "redirect_uris");
  await expect(failing).toContainText("https://evil.example/cb is not among the software statement's software_redirect_uris");
  await expect(result.getByTestId("dcr-answer")).toContainText('"error": "invalid_redirect_uri"');
  await expectNoSeriousViolations(page);

  // The request already used: its jti is refused (the tester itself consumed nothing before).
  await tester.getByLabel("Registration request JWT").fill(good);
  await tester.getByRole("button", { name: "Check request" }).click();
  await expect(result.locator('[data-testid="dcr-check"][data-rule="request.jti"]')).toHaveAttribute("data-ok", "false");
  await expect(result.locator('[data-testid="dcr-check"][data-rule="request.jti"]')).toContainText("already used");
});
