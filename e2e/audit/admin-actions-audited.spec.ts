import { expect, test } from "@playwright/test";
import { adminApi, unique } from "../fixtures/api";
import { E2E } from "../fixtures/env";

interface AuditEvent {
  action: string;
  actor: { type: string; label: string };
  after: Record<string, unknown> | null;
}

test("creating a user and a token in the console is audited under the admin, without the secrets", async ({ page }) => {
  const email = `${unique("audited")}@keyward.test`;
  const password = `Audit-${unique("pw")}-Passphrase`;
  const tokenName = unique("e2e-audited-token");

  await page.goto("/admin/users");
  const userForm = page.getByRole("form", { name: "New user" });
  await userForm.getByLabel("Email", { exact: true }).fill(email);
  await userForm.getByLabel("Name", { exact: true }).fill("E2E Audited");
  await userForm.getByLabel("Role", { exact: true }).selectOption("viewer");
  await userForm.getByLabel("Password (optional)").fill(password);
  await userForm.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("toasts")).toContainText(`Created ${email}`);

  await page.goto("/admin/tokens");
  const tokenForm = page.getByRole("form", { name: "New token" });
  await tokenForm.getByLabel("Name", { exact: true }).fill(tokenName);
  await tokenForm.getByLabel("Role", { exact: true }).selectOption("viewer");
  await tokenForm.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByTestId("created-token-value").inputValue();
  expect(token).toMatch(/^kw_/);

  const api = await adminApi();
  try {
    const users = await api.get("/api/v1/audit", { params: { action: "user.create", limit: 200 } });
    expect(users.status()).toBe(200);
    const usersText = await users.text();
    const userEvent = (JSON.parse(usersText) as { items: AuditEvent[] }).items.find((e) => e.after?.email === email);
    expect(userEvent, `no user.create event for ${email}`).toBeDefined();
    expect(userEvent?.actor).toMatchObject({ type: "user", label: E2E.adminEmail });
    expect(userEvent?.after).toMatchObject({ email, role: "viewer", status: "active" });
    expect(usersText).not.toContain(password);

    const tokens = await api.get("/api/v1/audit", { params: { action: "token.create", limit: 200 } });
    expect(tokens.status()).toBe(200);
    const tokensText = await tokens.text();
    const tokenEvent = (JSON.parse(tokensText) as { items: AuditEvent[] }).items.find((e) => e.after?.name === tokenName);
    expect(tokenEvent, `no token.create event for ${tokenName}`).toBeDefined();
    expect(tokenEvent?.actor).toMatchObject({ type: "user", label: E2E.adminEmail });
    expect(tokensText).not.toContain(token);
    // Not even the secret part beyond the displayed prefix.
    expect(tokensText).not.toContain(token.slice(10));
  } finally {
    await api.dispose();
  }
});
