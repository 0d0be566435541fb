import { generateKeyPairSync } from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { adminApi, createUser, signInThroughPage, unique } from "../fixtures/api";
import { shortPropagation, waitForPropagation } from "../fixtures/rotation";
import { dropFile } from "../keys/pem-fixtures";

interface KeyView {
  kid: string;
  state: string;
}

function slugOf(prefix: string): string {
  return unique(prefix).toLowerCase().replace(/[^a-z0-9_-]/g, "_");
}

async function post(api: APIRequestContext, path: string, data: Record<string, unknown>, status = 201): Promise<Record<string, unknown>> {
  const res = await api.post(path, { data });
  expect(res.status(), await res.text()).toBe(status);
  return (await res.json()) as Record<string, unknown>;
}

async function keysOf(api: APIRequestContext, slug: string): Promise<KeyView[]> {
  const res = await api.get(`/api/v1/tenants/${slug}/keys`);
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { items: KeyView[] }).items;
}

function importBox(page: Page) {
  return page.getByRole("form", { name: "Import a configuration" }).getByLabel("Configuration to import (JSON)", { exact: true });
}

interface ConfigDoc {
  tenant: { name: string };
  signing: { activeKid: string | null };
  signingKeys: unknown[];
}

async function editImport(page: Page, edit: (doc: ConfigDoc) => void) {
  const box = importBox(page);
  const doc = JSON.parse(await box.inputValue()) as ConfigDoc;
  edit(doc);
  await box.fill(JSON.stringify(doc, null, 2));
}

/**
 * The elements, other than the import textarea, whose text, attributes or value
 * hold `secret`: the page may show private key material in that box only.
 */
async function echoesOutsideImportBox(page: Page, secret: string): Promise<string[]> {
  return page.evaluate((s) => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll("*"))) {
      if (el.id === "config-import") continue;
      const text = Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? "")
        .join("");
      const attributes = Array.from(el.attributes).map((a) => a.value);
      const value = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.value : "";
      if ([text, value, ...attributes].some((t) => t.includes(s))) found.push(el.outerHTML.slice(0, 120));
    }
    return found;
  }, secret);
}

test.describe("configuration export and import", () => {
  let api: APIRequestContext;
  let slug: string;
  let firstKid: string;

  test.beforeAll(async () => {
    api = await adminApi();
    slug = slugOf("cfg");
    await post(api, "/api/v1/tenants", { slug, name: `E2E ${slug}` });
    firstKid = String((await post(api, `/api/v1/tenants/${slug}/keys`, { source: "generate" })).kid);
    const activated = await api.post(`/api/v1/tenants/${slug}/keys/${encodeURIComponent(firstKid)}/activate`, { data: {} });
    expect(activated.ok(), await activated.text()).toBe(true);
    // The import makes replacement-kid the signing key: relying parties must have had time to fetch it.
    const wait = await shortPropagation(api, slug);
    await post(api, `/api/v1/tenants/${slug}/keys`, { source: "generate", kid: "replacement-kid" });
    await waitForPropagation(wait);
  });

  test.afterAll(async () => {
    await api.dispose();
  });

  test("an admin replaces the signing key by editing the export, reviews the diff and applies it; a bad import and bad JSON change nothing", async ({ page, request }) => {
    await page.goto(`/tenants/${slug}/config`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Configuration");
    await expect(page.getByTestId("config-import-rules")).toContainText("Keys left out of an import are not removed");
    const exported = JSON.parse(await page.getByTestId("config-export-value").inputValue()) as { signing: { activeKid: string } };
    expect(exported.signing.activeKid).toBe(firstKid);
    const download = page.getByRole("link", { name: "Download JSON" });
    await expect(download).toHaveAttribute("href", `/api/v1/tenants/${slug}/config`);
    // The link works with the console session.
    const downloaded = await page.request.get(`/api/v1/tenants/${slug}/config`);
    expect(downloaded.status()).toBe(200);
    expect(((await downloaded.json()) as { signing: { activeKid: string } }).signing.activeKid).toBe(firstKid);

    // Export, replace the signing key, review.
    await editImport(page, (doc) => {
      doc.signing.activeKid = "replacement-kid";
    });
    await page.getByRole("button", { name: "Review changes" }).click();
    const review = page.getByTestId("config-review");
    await expect(review.getByRole("heading", { name: "Changes to apply (1)" })).toBeFocused();
    const change = review.locator('[data-testid="config-change"][data-path="signing.activeKid"]');
    await expect(change.getByTestId("change-before")).toHaveText(`from ${firstKid}`);
    await expect(change.getByTestId("change-after")).toHaveText("to replacement-kid");
    await expect(review.getByTestId("config-change")).toHaveCount(1);
    // Nothing applied by the review.
    expect((await keysOf(api, slug)).find((k) => k.kid === firstKid)?.state).toBe("active");

    // Apply.
    await page.getByRole("button", { name: "Apply", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: `Apply 1 change to ${slug}?` });
    await dialog.getByRole("button", { name: "Apply 1 change" }).click();
    await expect(page.getByTestId("toasts")).toContainText(`Applied 1 change to ${slug}`);
    // The page starts again from the new export.
    await expect(page.getByTestId("config-export-value")).toHaveValue(/"activeKid": "replacement-kid"/);
    await expect(importBox(page)).toHaveValue(/"activeKid": "replacement-kid"/);
    await expect(page.getByTestId("config-review")).toHaveCount(0);

    const keys = await keysOf(api, slug);
    expect(keys.find((k) => k.kid === "replacement-kid")?.state).toBe("active");
    expect(keys.find((k) => k.kid === firstKid)?.state).toBe("retired");
    const discovery = await request.get(`/${slug}/.well-known/openid-configuration`);
    expect(discovery.status()).toBe(200);
    expect(((await discovery.json()) as { issuer: string }).issuer).toContain(`/${slug}`);

    // A new key as a private JWK: the review shows its kid and alg, and its private members nowhere but in the box.
    const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
    await editImport(page, (doc) => {
      doc.signingKeys.push({ kid: "imported-kid", alg: "ES256", jwk });
    });
    await page.getByRole("button", { name: "Review changes" }).click();
    const added = page.getByTestId("config-review").locator('[data-testid="config-change"][data-path="signingKeys.imported-kid"]');
    await expect(added).toContainText("Added key");
    await expect(added.getByTestId("change-kid")).toHaveText("imported-kid");
    await expect(added).toContainText("ES256, staged");
    expect(await echoesOutsideImportBox(page, String(jwk.d))).toEqual([]);
    expect((await keysOf(api, slug)).map((k) => k.kid)).not.toContain("imported-kid");

    // A bad import: every problem with its path, and nothing changes (not even the valid new key still in the box).
    const before = (await (await api.get(`/api/v1/tenants/${slug}/config`)).json()) as Record<string, unknown>;
    let nopeIndex = -1;
    await editImport(page, (doc) => {
      doc.signing.activeKid = "no-such-kid";
      nopeIndex = doc.signingKeys.push({ kid: "nope" }) - 1;
    });
    await page.getByRole("button", { name: "Review changes" }).click();
    const problems = page.getByRole("alert").filter({ has: page.getByTestId("config-problem") });
    await expect(problems).toContainText("nothing was changed: 2 problems");
    await expect(problems.locator('[data-path="signing.activeKid"]')).toContainText('signing.activeKid: no key "no-such-kid"');
    await expect(problems.locator(`[data-path="signingKeys.${nopeIndex}.kid"]`)).toContainText(`signingKeys.${nopeIndex}.kid: no key "nope"`);
    await expect(page.getByRole("button", { name: "Apply", exact: true })).toHaveCount(0);
    const after = (await (await api.get(`/api/v1/tenants/${slug}/config`)).json()) as Record<string, unknown>;
    expect({ ...after, exportedAt: null }).toEqual({ ...before, exportedAt: null });

    // A dropped .json file lands in the box.
    await dropFile(page, "#config-import", "config.json", JSON.stringify(before, null, 2));
    await expect(importBox(page)).toHaveValue(/"activeKid": "replacement-kid"/);
    await expect(importBox(page)).not.toHaveValue(/nope/);

    // A misnamed section is refused by its name, with the one it meant, instead of importing nothing.
    const { signingKeys, ...rest } = before;
    await importBox(page).fill(JSON.stringify({ ...rest, keys: signingKeys }, null, 2));
    await page.getByRole("button", { name: "Review changes" }).click();
    await expect(problems.locator('[data-path="keys"]')).toContainText('keys: is not a section of the configuration; did you mean "signingKeys"?');
    await expect(page.getByRole("button", { name: "Apply", exact: true })).toHaveCount(0);

    // Invalid JSON: the position, before anything is sent, and never the text itself.
    await importBox(page).fill('{\n  "format": "keyward.tenant-config/v1",\n  "signingKeys": [{ "jwk": { "d": "PRIVATE-SECRET-MATERIAL" oops } }]\n}');
    await page.getByRole("button", { name: "Review changes" }).click();
    const syntax = page.getByTestId("config-syntax-error");
    await expect(syntax).toHaveAttribute("role", "alert");
    await expect(syntax).toContainText(/Not valid JSON at line 3, column \d+: .*position \d+/);
    await expect(importBox(page)).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("config-problems")).toHaveCount(0);
    expect(await echoesOutsideImportBox(page, "PRIVATE-SECRET-MATERIAL")).toEqual([]);
    expect((await keysOf(api, slug)).find((k) => k.kid === "replacement-kid")?.state).toBe("active");
  });
});

test.describe("configuration page for lower roles", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a viewer sees the export with no import; an operator may switch keys but not change the tenant's settings", async ({ page }) => {
    const api = await adminApi();
    const slug = slugOf("cfg-roles");
    await post(api, "/api/v1/tenants", { slug, name: `E2E ${slug}` });
    const kid = String((await post(api, `/api/v1/tenants/${slug}/keys`, { source: "generate" })).kid);
    await api.dispose();

    const viewer = await createUser("viewer");
    await signInThroughPage(page, viewer);
    await page.goto(`/tenants/${slug}/config`);
    await expect(page.getByTestId("config-export-value")).toHaveValue(new RegExp(`"kid": "${kid}"`));
    await expect(page.getByRole("link", { name: "Download JSON" })).toBeVisible();
    await expect(page.getByRole("form", { name: "Import a configuration" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Review changes" })).toHaveCount(0);
    await expect(page.getByTestId("config-import-viewer")).toBeVisible();

    await page.getByRole("button", { name: "Sign out" }).click();
    // Let the sign-out finish its own navigation before the next one.
    await expect(page).toHaveURL(/\/login/);
    await signInThroughPage(page, await createUser("operator"));
    await page.goto(`/tenants/${slug}/config`);
    await editImport(page, (doc) => {
      doc.signing.activeKid = kid;
    });
    await page.getByRole("button", { name: "Review changes" }).click();
    await expect(page.locator('[data-testid="config-change"][data-path="signing.activeKid"]')).toContainText(kid);

    await editImport(page, (doc) => {
      doc.tenant.name = "Renamed by an operator";
    });
    await page.getByRole("button", { name: "Review changes" }).click();
    await expect(page.getByTestId("config-problems").locator('[data-path="tenant"]')).toContainText("needs the admin role");
  });
});
