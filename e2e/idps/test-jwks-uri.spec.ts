import { expect, test } from "@playwright/test";
import { startTestJwksServer, type TestJwksServer } from "../../lib/jwks-fetch/test-jwks-server";
import { adminApi, unique } from "../fixtures/api";
import { E2E } from "../fixtures/env";

// The app may fetch plain http only from the hosts in KEYWARD_OUTBOUND_ALLOW
// (scripts/e2e-server.mjs): 127.0.0.1, where the app itself listens, stays refused.
let jwks: TestJwksServer;
test.beforeAll(async () => {
  jwks = await startTestJwksServer({ alg: "PS256", host: E2E.outboundAllow });
});
test.afterAll(async () => {
  await jwks.close();
});

test("an admin tests a jwks_uri, registers the IdP, refreshes its keys, and sees an upstream fault in its health", async ({ page }) => {
  const api = await adminApi();
  const slug = unique("idptest").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  expect((await api.post("/api/v1/tenants", { data: { slug, name: "IdP Test" } })).status()).toBe(201);
  await api.dispose();
  const kid = jwks.keys[0]!.kid;

  await page.goto(`/tenants/${slug}/identity-providers/new`);
  const form = page.getByRole("form", { name: "Register an identity provider" });
  await form.getByLabel("Issuer (name)").fill(`https://idp.${slug}.example`);
  await form.getByRole("radio", { name: /jwks_uri/ }).check();
  await form.getByLabel("jwks_uri URL").fill(jwks.jwksUrl);
  await form.getByRole("button", { name: "Test", exact: true }).click();
  const found = page.getByTestId("test-result");
  await expect(found).toContainText("1 key found");
  await expect(found).toContainText(kid);
  await expect(found).toContainText("PS256");
  const fetchesAfterTest = jwks.requestsTo("/jwks");
  expect(fetchesAfterTest).toBeGreaterThanOrEqual(1);

  await form.getByRole("button", { name: "Save identity provider" }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/identity-providers/[^/]+$`));

  const refresh = page.getByRole("form", { name: "Refresh the keys" });
  await refresh.getByRole("button", { name: "Refresh now" }).click();
  await expect(refresh.getByTestId("refresh-result")).toContainText(kid);

  jwks.behave({ kind: "status", status: 500 });
  try {
    await refresh.getByRole("button", { name: "Refresh now" }).click();
    await expect(refresh.getByRole("alert")).toContainText("HTTP 500");
    // The health keeps the fault (and the last good keys) after a reload.
    await page.reload();
    await expect(page.getByTestId("idp-last-error")).toContainText("HTTP 500");
  } finally {
    jwks.behave({ kind: "jwks" });
  }
});
