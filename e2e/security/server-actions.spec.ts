import { expect, test, type Browser, type Request } from "@playwright/test";
import { adminApi, signInThroughPage, unique } from "../fixtures/api";
import { E2E } from "../fixtures/env";

/**
 * Server actions are public HTTP endpoints: anyone who knows an action's id
 * can post to it without the UI. These replay a real "create client" action
 * outside the UI, with the sessions of people who may not run it, and from
 * another origin: the service refuses, and nothing is created.
 */

async function clientCount(slug: string): Promise<number> {
  const api = await adminApi();
  const res = await api.get(`/api/v1/tenants/${slug}/clients?limit=200`);
  const body = (await res.json()) as { items: unknown[] };
  await api.dispose();
  return body.items.length;
}

/** A signed-in session of a new user with this role (and tenants), in its own browser context. */
async function sessionOf(browser: Browser, role: "viewer" | "operator", tenants: string[] | null) {
  const api = await adminApi();
  const email = `${unique(`sa-${role}`)}@keyward.test`.toLowerCase();
  const password = `e2e-${unique("pw")}-Passphrase`;
  expect((await api.post("/api/v1/users", { data: { email, name: `Action ${role}`, role, password, tenants } })).status()).toBe(201);
  await api.dispose();
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signInThroughPage(page, { email, password });
  return context;
}

test("a create-client server action posted outside the UI is refused for a viewer, for an operator of another tenant, and from another origin", async ({ page, browser }) => {
  const api = await adminApi();
  const slug = unique("actions").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  const elsewhere = unique("elsewhere").toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  for (const s of [slug, elsewhere]) expect((await api.post("/api/v1/tenants", { data: { slug: s, name: `Bank ${s}` } })).status()).toBe(201);
  await api.dispose();

  // Record the action the form posts, as an admin.
  await page.goto(`/tenants/${slug}/clients/new`);
  const form = page.getByRole("form", { name: "New client" });
  await form.getByLabel("Name", { exact: true }).fill("Recorded TPP");
  const posted = page.waitForRequest((r: Request) => r.method() === "POST" && r.headers()["next-action"] !== undefined);
  await form.getByRole("button", { name: "Create client" }).click();
  const action = await posted;
  await expect(page.getByTestId("created-client-box")).toBeVisible();
  const headers = action.headers();
  const replay = {
    url: action.url(),
    headers: { "next-action": headers["next-action"]!, "content-type": headers["content-type"]!, accept: "text/x-component", origin: E2E.baseURL },
    body: action.postDataBuffer()!,
  };
  expect(await clientCount(slug)).toBe(1);

  const viewer = await sessionOf(browser, "viewer", null);
  try {
    const res = await viewer.request.post(replay.url, { headers: replay.headers, data: replay.body });
    expect(await res.text()).toContain("this needs the operator role");
  } finally {
    await viewer.close();
  }
  expect(await clientCount(slug)).toBe(1);

  const outsider = await sessionOf(browser, "operator", [elsewhere]);
  try {
    const res = await outsider.request.post(replay.url, { headers: replay.headers, data: replay.body });
    expect(await res.text()).toContain(`tenant \\"${slug}\\" was not found`);
  } finally {
    await outsider.close();
  }
  expect(await clientCount(slug)).toBe(1);

  // The admin's own session, but posted from another origin (a forged cross-site form): Next refuses the action.
  const forged = await page.request.post(replay.url, { headers: { ...replay.headers, origin: "https://attacker.example" }, data: replay.body });
  expect(forged.status()).toBeGreaterThanOrEqual(400);
  expect(await clientCount(slug)).toBe(1);

  // The same replay from the admin's session and our origin does create a client: the refusals above are not the replay's fault.
  const genuine = await page.request.post(replay.url, { headers: replay.headers, data: replay.body });
  expect(genuine.status()).toBe(200);
  expect(await clientCount(slug)).toBe(2);
});
