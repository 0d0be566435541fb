import { expect, test, type APIRequestContext } from "@playwright/test";
import { expectNoSeriousViolations } from "../fixtures/a11y";
import { adminApi, createUser, signInThroughPage, unique } from "../fixtures/api";

interface RotationStatus {
  scopes: { appId: string | null; active: { kid: string } | null; pending: { kid: string; activatesAt: string } | null }[];
  events: { at: string; kind: string; kid: string | null }[];
}

/** A fresh tenant whose first key signs at once (nothing signed there before); its slug and that key's kid. */
async function tenantWithActiveKey(api: APIRequestContext, prefix: string): Promise<{ slug: string; kid: string }> {
  const slug = unique(prefix).toLowerCase();
  expect((await api.post("/api/v1/tenants", { data: { slug, name: `E2E ${slug}` } })).status()).toBe(201);
  const created = await api.post(`/api/v1/tenants/${slug}/keys`, { data: { source: "generate" } });
  expect(created.status(), await created.text()).toBe(201);
  const kid = ((await created.json()) as { kid: string }).kid;
  const activated = await api.post(`/api/v1/tenants/${slug}/keys/${encodeURIComponent(kid)}/activate`, { data: {} });
  expect(activated.status(), await activated.text()).toBe(200);
  return { slug, kid };
}

async function rotationOf(api: APIRequestContext, slug: string): Promise<RotationStatus> {
  const res = await api.get(`/api/v1/tenants/${slug}/rotation`);
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as RotationStatus;
}

/** A time as the console writes it, to the minute: "2025-03-04 12:30 UTC". */
function minute(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

let api: APIRequestContext;

test.beforeAll(async () => {
  api = await adminApi();
});

test.afterAll(async () => {
  await api.dispose();
});

test.describe("rotating a tenant's signing key", () => {
  test("an admin rotates from the keys page, sees the plan and the timeline, is refused an early activation, forces it with a reason and sees that on the dashboard", async ({
    page,
  }) => {
    const { slug, kid: current } = await tenantWithActiveKey(api, "rot");

    await page.goto(`/tenants/${slug}/keys`);
    const timeline = page.getByTestId("rotation-timeline");
    await expect(timeline.getByRole("img", { name: /Timeline of 1 signing key/ })).toBeVisible();
    await expect(timeline.locator(`[data-testid="timeline-row"][data-kid="${current}"]`)).toHaveAttribute("data-state", "active");
    // The default policy rotates every 90 days: that is what is planned.
    await expect(timeline.getByTestId("planned-event")).toHaveCount(1);
    await expect(timeline.getByTestId("planned-event")).toHaveAttribute("data-kind", "rotation");

    await page.getByRole("link", { name: "Rotate now" }).click();
    await expect(page).toHaveURL(`/tenants/${slug}/keys/rotate`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rotate now");
    const plan = page.getByTestId("rotation-plan");
    await expect(plan).toContainText("Published now; signs from ");
    await expect(plan).toContainText(`the current key ${current} retires then and is removed at `);
    await expect(page.getByLabel("Algorithm")).toHaveValue("PS256");
    await expectNoSeriousViolations(page);

    await page.getByRole("button", { name: "Rotate now" }).click();
    const confirm = page.getByRole("dialog", { name: `Rotate the signing key of ${slug} now?` });
    await expect(confirm.getByTestId("rotation-plan-confirm")).toContainText(`the current key ${current} retires then`);
    await expectNoSeriousViolations(page);
    await confirm.getByRole("button", { name: "Confirm rotation" }).click();

    await expect(page).toHaveURL(new RegExp(`/tenants/${slug}/keys\\?rotated=`));
    const status = await rotationOf(api, slug);
    const pending = status.scopes.find((s) => s.appId === null)?.pending;
    expect(pending, JSON.stringify(status)).toBeTruthy();
    const next = pending!.kid;
    // Published now, signing after the propagation time (a day by default).
    expect(Date.parse(pending!.activatesAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const notice = page.getByTestId("rotation-notice");
    await expect(notice).toContainText(`Rotation started: ${next} is published now and signs from ${pending!.activatesAt.slice(0, 10)}`);
    await expect(notice).toContainText(`${current} retires then`);

    // The timeline now shows the new key, staged, and its activation ahead.
    await expect(timeline.locator(`[data-testid="timeline-row"][data-kid="${next}"]`)).toHaveAttribute("data-state", "staged");
    await expect(timeline.getByRole("img", { name: new RegExp(`${next} signs from `) })).toBeVisible();
    const activation = timeline.locator(`[data-testid="planned-event"][data-kind="activation"][data-kid="${next}"]`);
    await expect(activation).toContainText(minute(pending!.activatesAt));
    await expect(activation).toContainText("starts signing");
    await expect(timeline.locator(`[data-testid="planned-event"][data-kind="removal"][data-kid="${current}"]`)).toContainText("leaves the JWKS");
    await expectNoSeriousViolations(page);

    // One rotation at a time.
    await page.goto(`/tenants/${slug}/keys/rotate`);
    await expect(page.getByTestId("rotation-blocked")).toContainText(`A rotation is under way: "${next}" activates at`);
    await expect(page.getByRole("button", { name: "Rotate now" })).toHaveCount(0);

    // Activating the new key early: explained, refused without forcing, then forced with a reason.
    await page.goto(`/tenants/${slug}/keys`);
    await activation.getByRole("link", { name: next }).click();
    await expect(page).toHaveURL(`/tenants/${slug}/keys/${next}`);
    await expect(page.getByTestId("key-state")).toHaveText("staged");
    await expect(page.getByTestId("key-activates-at")).toContainText(minute(pending!.activatesAt));

    await page.getByRole("button", { name: `Activate key ${next}` }).click();
    const dialog = page.getByRole("dialog", { name: `Activate ${next}?` });
    await expect(dialog.getByTestId("activation-propagation")).toContainText("Relying parties may not have this key yet.");
    await expectNoSeriousViolations(page);
    await dialog.getByRole("button", { name: "Activate key" }).click();
    const alert = page.getByTestId("form-alert");
    await expect(alert).toContainText(`Key "${next}" cannot be activated: relying parties may not have fetched it yet`);
    await expect(alert).toContainText("force the activation with a reason");
    await expect(page.getByTestId("key-state")).toHaveText("staged");

    await page.getByRole("button", { name: `Activate key ${next}` }).click();
    await dialog.getByLabel("Force the activation before the propagation time ends").check();
    await dialog.getByRole("button", { name: "Activate key" }).click();
    await expect(alert).toContainText("Forcing the activation needs a reason: say why the activation is forced");
    await expect(page.getByTestId("key-state")).toHaveText("staged");

    const reason = "relying parties confirmed the new JWKS in the incident bridge";
    await page.getByRole("button", { name: `Activate key ${next}` }).click();
    await expect(dialog.getByLabel("Force the activation before the propagation time ends")).toBeChecked();
    await dialog.getByLabel("Reason for forcing (audited)").fill(reason);
    await dialog.getByRole("button", { name: "Activate key" }).click();
    await expect(page.getByTestId("toasts")).toContainText(`Key ${next} is now the signing key (forced before its propagation time)`);
    await expect(page.getByTestId("key-state")).toHaveText("active");
    await expect(page.getByTestId("key-forced-reason")).toContainText(reason);

    const after = await rotationOf(api, slug);
    expect(after.scopes.find((s) => s.appId === null)?.active?.kid).toBe(next);

    await page.goto(`/?tenant=${slug}`);
    const card = page.getByTestId("signing-keys-card");
    await expect(card.getByTestId("dashboard-active-kid")).toHaveText(next);
    await expect(card.getByTestId("dashboard-certificate")).toHaveText("no certificate");
    const forced = card.locator('[data-testid="dashboard-warning"][data-kind="forced-activation"]');
    await expect(forced).toContainText(`"${next}" was activated before its propagation time had passed: ${reason}`);
    // The retired key leaves the JWKS after the retention: that is what comes next.
    await expect(card.getByTestId("dashboard-next-event")).toContainText(`"${current}" leaves the JWKS`);
    await expectNoSeriousViolations(page);
  });

  test("revoking the active key asks for a replacement and a reason, and says what breaks", async ({ page }) => {
    const { slug, kid: current } = await tenantWithActiveKey(api, "rot-rev");
    const staged = await api.post(`/api/v1/tenants/${slug}/keys`, { data: { source: "generate", kid: `${slug}-standby` } });
    expect(staged.status(), await staged.text()).toBe(201);

    await page.goto(`/tenants/${slug}/keys/${current}`);
    await page.getByRole("button", { name: `Revoke key ${current}` }).click();
    const dialog = page.getByRole("dialog", { name: `Revoke the active key ${current}?` });
    await expect(dialog.getByTestId("revoke-impact")).toContainText(
      "Tokens this key signed in the last 5 minutes (the access-token lifetime) stop verifying as soon as relying parties fetch the JWKS again: within 5 minutes (the JWKS max-age).",
    );
    await expectNoSeriousViolations(page);
    await dialog.getByLabel("Reason (audited)").fill("private key found in a public repository");
    await dialog.getByRole("button", { name: "Revoke and replace" }).click();
    await expect(page.getByTestId("form-alert")).toContainText("name a staged key to promote, or ask for a generated replacement");
    await expect(page.getByTestId("key-state")).toHaveText("active");

    await page.getByRole("button", { name: `Revoke key ${current}` }).click();
    await dialog.getByRole("radio", { name: new RegExp(`^${slug}-standby`) }).check();
    await dialog.getByRole("button", { name: "Revoke and replace" }).click();
    await expect(page.getByTestId("toasts")).toContainText(`Key ${current} revoked; ${slug}-standby signs from now on`);
    await expect(page.getByTestId("key-state")).toHaveText("revoked");
    expect((await rotationOf(api, slug)).scopes.find((s) => s.appId === null)?.active?.kid).toBe(`${slug}-standby`);
  });
});

test.describe("the rotation policy", () => {
  test("an admin sets a propagation shorter than the JWKS max-age and is shown the field error, then saves a policy and sees its warning", async ({ page }) => {
    const { slug } = await tenantWithActiveKey(api, "rot-pol");
    await page.goto(`/tenants/${slug}`);
    await page.getByRole("link", { name: "Rotation policy" }).click();
    await expect(page).toHaveURL(`/tenants/${slug}/rotation-policy`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rotation policy");
    await expectNoSeriousViolations(page);

    const form = page.getByRole("form", { name: "Rotation policy" });
    const propagation = form.getByLabel("Propagation time", { exact: true });
    await expect(propagation).toHaveValue("1");
    await expect(form.getByLabel("Unit of propagation time")).toHaveValue("d");
    await propagation.fill("60");
    await form.getByLabel("Unit of propagation time").selectOption("s");
    await form.getByRole("button", { name: "Save policy" }).click();
    await expect(form.locator("#propagationSeconds-error")).toHaveText(
      "propagation (60 s) must be at least the JWKS max-age (300 s): relying parties may cache the JWKS that long",
    );
    await expect(propagation).toHaveAttribute("aria-invalid", "true");
    await expect(propagation).toHaveAccessibleDescription(/must be at least the JWKS max-age/);
    await expect(propagation).toHaveValue("60");
    await expectNoSeriousViolations(page);
    const unchanged = (await (await api.get(`/api/v1/tenants/${slug}/rotation-policy`)).json()) as { propagationSeconds: number };
    expect(unchanged.propagationSeconds).toBe(86_400);

    // Ten minutes of propagation, one minute of retention: saved, with a warning about the retention.
    await propagation.fill("10");
    await form.getByLabel("Unit of propagation time").selectOption("min");
    await form.getByLabel("Retention time", { exact: true }).fill("60");
    await form.getByLabel("Unit of retention time").selectOption("s");
    await form.getByRole("button", { name: "Save policy" }).click();
    await expect(page.getByTestId("toasts")).toContainText(`Rotation policy of ${slug} saved, with`);
    await expect(page.getByTestId("warnings")).toContainText("Retention (60 s) is shorter than the access-token lifetime plus clock skew (360 s)");
    const saved = (await (await api.get(`/api/v1/tenants/${slug}/rotation-policy`)).json()) as { propagationSeconds: number; retentionSeconds: number };
    expect(saved).toMatchObject({ propagationSeconds: 600, retentionSeconds: 60 });

    // The keys page plans with the new policy.
    await page.goto(`/tenants/${slug}/keys`);
    await expect(page.getByTestId("rotation-timeline")).toContainText("a retired key stays published for 1 min");
  });
});

test.describe("rotation for lower roles", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a viewer reads the timeline and the policy, and can neither rotate nor change the policy", async ({ page }) => {
    const { slug } = await tenantWithActiveKey(api, "rot-view");
    await signInThroughPage(page, await createUser("viewer"));

    await page.goto(`/tenants/${slug}/keys`);
    await expect(page.getByTestId("rotation-timeline").getByRole("img", { name: /Timeline of 1 signing key/ })).toBeVisible();
    await expect(page.getByRole("link", { name: "Rotate now" })).toHaveCount(0);

    await page.goto(`/tenants/${slug}/keys/rotate`);
    await expect(page.getByTestId("role-required")).toContainText("You need the operator role");

    await page.goto(`/tenants/${slug}/rotation-policy`);
    await expect(page.getByTestId("policy-values")).toContainText("1 day");
    await expect(page.getByTestId("policy-admin-only")).toBeVisible();
    await expect(page.getByRole("form", { name: "Rotation policy" })).toHaveCount(0);
    await expectNoSeriousViolations(page);
  });
});
