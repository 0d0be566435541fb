import { expect, test, type APIRequestContext } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { adminApi, unique } from "../fixtures/api";

const CSV_HEADER = "at,actor_type,actor,action,target_type,target_id,tenant,ip,request_id,before,after";

async function createTenant(api: APIRequestContext, slug: string): Promise<void> {
  const res = await api.post("/api/v1/tenants", { data: { slug, name: `Audit ${slug}` } });
  expect(res.status(), await res.text()).toBe(201);
}

test.describe("the audit log", () => {
  let api: APIRequestContext;
  test.beforeAll(async () => {
    api = await adminApi();
  });
  test.afterAll(async () => {
    await api.dispose();
  });

  test("filters by tenant and action", async ({ page }) => {
    const slug = unique("audit").toLowerCase();
    await createTenant(api, slug);
    expect((await api.patch(`/api/v1/tenants/${slug}`, { data: { name: `Audit ${slug} renamed` } })).status()).toBe(200);

    await page.goto(`/audit?tenant=${slug}`);
    const rows = page.getByTestId("audit-row");
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: "tenant.create" })).toHaveCount(1);
    await expect(page.getByTestId("audit-count")).toHaveText("2 events on this page");

    const filters = page.getByRole("form", { name: "Filter audit events" });
    await expect(filters.getByLabel("Tenant")).toHaveValue(slug);
    await filters.getByLabel("Action").selectOption("tenant.update");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/action=tenant\.update/);
    await expect(page).toHaveURL(new RegExp(`tenant=${slug}`));
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("tenant.update");
    await expect(rows.first()).toContainText(slug);
    // The change names the field that moved and expands to its old and new value.
    const change = rows.first().getByTestId("audit-change");
    await expect(change.locator("summary")).toHaveText("changed: name");
    await change.locator("summary").click();
    const name = change.locator("dl > div").filter({ has: page.locator("dt", { hasText: /^name$/ }) });
    await expect(name.locator("dd")).toHaveText(`Audit ${slug} → Audit ${slug} renamed`);
    await expect(change).toContainText("Unchanged:");

    // A time window after the events leaves nothing.
    await page.goto(`/audit?tenant=${slug}&from=2999-01-01T00:00`);
    await expect(page.getByText("No audit events match these filters")).toBeVisible();
  });

  test("invalid filters are explained, not a crash", async ({ page }) => {
    await page.goto("/audit?from=yesterday&limit=0");
    const alert = page.getByTestId("audit-error");
    await expect(alert).toHaveAttribute("role", "alert");
    await expect(alert).toContainText("from:");
    await expect(alert).toContainText("limit:");

    await page.goto("/audit?cursor=not-a-cursor");
    await expect(page.getByTestId("audit-error")).toContainText("not a cursor from a previous page");
  });

  test("pages through the events with a cursor", async ({ page }) => {
    const prefix = unique("page").toLowerCase();
    for (let i = 0; i < 30; i++) await createTenant(api, `${prefix}-${i}`);

    await page.goto("/audit?action=tenant.create&limit=10");
    const rows = page.getByTestId("audit-row");
    // Each of these events names a different tenant, in the table's fifth column.
    const tenantCells = rows.locator("td:nth-child(5)");
    await expect(rows).toHaveCount(10);
    const first = await tenantCells.allInnerTexts();
    expect(new Set(first).size).toBe(10);
    await expect(page.getByRole("link", { name: "First page" })).toHaveCount(0);

    await page.getByRole("link", { name: "Next page" }).click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(page).toHaveURL(/limit=10/);
    await expect(page).toHaveURL(/action=tenant\.create/);
    await expect(tenantCells.first()).not.toHaveText(first[0] ?? "");
    await expect(rows).toHaveCount(10);
    const second = await tenantCells.allInnerTexts();
    expect(new Set(second).size).toBe(10);
    expect(second.filter((t) => first.includes(t))).toEqual([]);
    for (const r of await rows.allInnerTexts()) expect(r).toContain("tenant.create");

    await page.getByRole("link", { name: "First page" }).click();
    await expect(page).not.toHaveURL(/cursor=/);
    await expect(tenantCells.first()).toHaveText(first[0] ?? "");
    await expect(rows).toHaveCount(10);
    expect(await tenantCells.allInnerTexts()).toEqual(first);
  });

  test("exports the filtered events as CSV", async ({ page }) => {
    const slug = unique("csv").toLowerCase();
    await createTenant(api, slug);
    await page.goto(`/audit?tenant=${slug}`);
    const link = page.getByRole("link", { name: "Export CSV" });
    await expect(link).toHaveAttribute("href", `/api/v1/audit/export.csv?tenant=${slug}`);

    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^keyward-audit-.*\.csv$/);
    const csv = await readFile(await download.path(), "utf8");
    const lines = csv.split(/\r?\n/).filter((l) => l !== "");
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("tenant.create");
    expect(lines[1]).toContain(slug);

    const res = await page.request.get((await link.getAttribute("href")) ?? "");
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/^text\/csv/);
    expect(res.headers()["content-disposition"]).toMatch(/^attachment/);
  });
});
