import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, request, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { exportJWK, generateKeyPair } from "jose";
import { adminApi, signInThroughPage, unique } from "../fixtures/api";
import { E2E } from "../fixtures/env";

// Every page of the console, listed from the app's route tree when the test
// runs (a new page is covered without touching this file), visited by people
// who should not see or change it: signed out, a viewer, an operator of
// another tenant, anyone but an admin over every tenant for the platform's
// pages. Two tenants are seeded with one object of each kind to fill the
// routes' dynamic segments.

interface Route {
  /** The page file, relative to app/. */
  file: string;
  /** The URL pattern, e.g. /tenants/[tenant]/clients/[clientId]. */
  pattern: string;
  /** Each dynamic segment with the static segment before it, e.g. "clients/[clientId]". */
  params: string[];
  /** Outside the signed-in console: the sign-in page and invite links. */
  public: boolean;
}

const APP_DIR = path.join(process.cwd(), "app");

function listRoutes(dir = APP_DIR): Route[] {
  const routes: Route[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) routes.push(...listRoutes(full));
    else if (entry.name === "page.tsx") {
      const rel = path.relative(APP_DIR, dir);
      const segments = rel ? rel.split(path.sep) : [];
      const visible = segments.filter((s) => !/^\(.+\)$/.test(s) && !s.startsWith("@"));
      const params = visible.flatMap((s, i) => (/^\[.+\]$/.test(s) ? [`${visible[i - 1] ?? ""}/${s}`] : []));
      routes.push({ file: path.relative(APP_DIR, full), pattern: `/${visible.join("/")}`, params, public: !segments.includes("(console)") });
    }
  }
  return routes.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

interface Seeded {
  slug: string;
  name: string;
  clientId: string;
  clientName: string;
  idpId: string;
  idpIssuer: string;
  directoryId: string;
  directoryName: string;
  kid: string;
}

/** What fills each dynamic segment, by the segment before it. */
function valueFor(param: string, seeded: Seeded, inviteToken: string): string | undefined {
  const values: Record<string, string> = {
    "tenants/[tenant]": seeded.slug,
    "clients/[clientId]": seeded.clientId,
    "identity-providers/[id]": seeded.idpId,
    "directories/[id]": seeded.directoryId,
    "keys/[kid]": seeded.kid,
    "invite/[token]": inviteToken,
  };
  return values[param];
}

/** The route's URL with the tenant segment from `tenant` and every object id from `objects`. */
function urlOf(route: Route, tenant: Seeded, objects: Seeded, inviteToken: string): string {
  let url = route.pattern;
  for (const param of route.params) {
    const value = valueFor(param, param === "tenants/[tenant]" ? tenant : objects, inviteToken);
    if (value === undefined) throw new Error(`${route.file}: no seeded value for the segment ${param}; teach e2e/security/console-routes.spec.ts to fill it`);
    url = url.replace(param.split("/")[1]!, encodeURIComponent(value));
  }
  return url;
}

/** The values of a seeded tenant that must never show on a page of someone outside it. */
function dataOf(s: Seeded): string[] {
  return [s.slug, s.name, s.clientId, s.clientName, s.idpId, s.idpIssuer, s.directoryId, s.directoryName, s.kid];
}

async function seedTenant(api: APIRequestContext, label: string): Promise<Seeded> {
  const slug = unique(`crawl_${label}`).toLowerCase().replace(/[^a-z0-9_-]/g, "_");
  const name = `Crawler Bank ${label.toUpperCase()} ${slug}`;
  expect((await api.post("/api/v1/tenants", { data: { slug, name } })).status()).toBe(201);
  const key = await api.post(`/api/v1/tenants/${slug}/keys`, { data: { source: "generate", alg: "PS256" } });
  expect(key.status()).toBe(201);
  const { kid } = (await key.json()) as { kid: string };
  const tpp = await generateKeyPair("ES256", { extractable: true });
  const clientName = `Crawler TPP ${label.toUpperCase()} ${slug}`;
  const client = await api.post(`/api/v1/tenants/${slug}/clients`, {
    data: { name: clientName, tokenEndpointAuthMethod: "private_key_jwt", jwks: { keys: [{ ...(await exportJWK(tpp.publicKey)), kid: `tpp-${slug}` }] } },
  });
  expect(client.status()).toBe(201);
  const { clientId } = (await client.json()) as { clientId: string };
  const idpKey = await generateKeyPair("PS256", { extractable: true });
  const idpIssuer = `https://idp-${slug.replace(/_/g, "-")}.example`;
  const idp = await api.post(`/api/v1/tenants/${slug}/identity-providers`, {
    data: { name: idpIssuer, audience: `${E2E.baseURL}/${slug}/oauth2/token`, jwks: { keys: [{ ...(await exportJWK(idpKey.publicKey)), kid: `idp-${slug}`, alg: "PS256" }] } },
  });
  expect(idp.status(), await idp.text()).toBe(201);
  const { id: idpId } = (await idp.json()) as { id: string };
  const directoryName = `Crawler Directory ${label.toUpperCase()} ${slug}`;
  const directory = await api.post(`/api/v1/tenants/${slug}/directories`, { data: { kind: "sandbox", name: directoryName } });
  expect(directory.status(), await directory.text()).toBe(201);
  const { id: directoryId } = (await directory.json()) as { id: string };
  return { slug, name, clientId, clientName, idpId, idpIssuer, directoryId, directoryName, kid };
}

async function signedIn(browser: Browser, role: "viewer" | "operator" | "admin", tenants: string[] | null): Promise<{ context: BrowserContext; page: Page; email: string; id: string }> {
  const api = await adminApi();
  const email = `${unique(`crawl-${role}`)}@keyward.test`.toLowerCase();
  const password = `e2e-${unique("pw")}-Passphrase`;
  const res = await api.post("/api/v1/users", { data: { email, name: `Crawler ${role}`, role, password, tenants } });
  expect(res.status(), await res.text()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  await api.dispose();
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signInThroughPage(page, { email, password });
  return { context, page, email, id };
}

/** Other specs count the active admins: the crawler's one-tenant admins are not theirs to count. */
async function disableUser(id: string): Promise<void> {
  const api = await adminApi();
  expect((await api.patch(`/api/v1/users/${id}`, { data: { disabled: true } })).status()).toBe(200);
  await api.dispose();
}

/**
 * A streamed page that calls notFound() answers 200 with the shell; the 404 is
 * the error digest and the not-found page in its flight data.
 */
function isNotFound(html: string): boolean {
  return html.includes("NEXT_HTTP_ERROR_FALLBACK;404") && /This (tenant|page) does not exist/.test(html);
}
/** Buttons that change something: none may be offered to a viewer. */
const CHANGE_BUTTON = /^(create|save|delete|remove|revoke|activate|retire|rotate|import|add|generate|upload|disable|enable|refresh|suspend|reactivate|issue|attach|reset|invite|apply(?! filters?\b)|update|rename|force|schedule|restore|widen|preview)\b/i;
/** Pages whose only purpose is a change: a viewer gets a refusal or no form at all. */
const WRITE_PAGE = /\/(new|edit|rotate|dcr-tester)$/;

const routes = listRoutes();
const consoleRoutes = routes.filter((r) => !r.public);
const tenantRoutes = consoleRoutes.filter((r) => r.params.includes("tenants/[tenant]"));
const platformRoutes = consoleRoutes.filter((r) => r.pattern.startsWith("/admin/"));
const otherConsoleRoutes = consoleRoutes.filter((r) => !r.params.includes("tenants/[tenant]"));

test.describe.configure({ mode: "serial" });

let a: Seeded;
let b: Seeded;
let inviteToken: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const api = await adminApi();
  a = await seedTenant(api, "a");
  b = await seedTenant(api, "b");
  const invite = await api.post("/api/v1/users", { data: { email: `${unique("crawl-invite")}@keyward.test`.toLowerCase(), name: "Invited", role: "viewer" } });
  expect(invite.status()).toBe(201);
  inviteToken = new URL(((await invite.json()) as { inviteUrl: string }).inviteUrl).pathname.split("/").pop()!;
  await api.dispose();
});

test("the route tree is listed, and every dynamic segment can be filled", () => {
  expect(consoleRoutes.length).toBeGreaterThan(20);
  expect(routes.map((r) => r.pattern)).toEqual(expect.arrayContaining(["/login", "/invite/[token]", "/", "/tenants/[tenant]/clients/[clientId]/edit", "/admin/users"]));
  const unfillable = routes.flatMap((r) => {
    try {
      urlOf(r, a, a, inviteToken);
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  });
  expect(unfillable, unfillable.join("\n")).toEqual([]);
});

test("signed out: every console page sends to the sign-in page with nothing of the page; the public pages work", async () => {
  const anonymous = await request.newContext({ baseURL: E2E.baseURL, storageState: { cookies: [], origins: [] } });
  try {
    for (const route of consoleRoutes) {
      const url = urlOf(route, a, a, inviteToken);
      const res = await anonymous.get(url, { maxRedirects: 0 });
      expect.soft(res.status(), `${url} signed out`).toBe(307);
      expect.soft(new URL(res.headers().location ?? "/", E2E.baseURL).pathname, `${url} signed out goes to`).toBe("/login");
      const body = await res.text();
      for (const value of dataOf(a).filter((v) => !url.includes(encodeURIComponent(v)))) expect.soft(body, `${url} signed out shows ${value}`).not.toContain(value);
    }
    const login = await anonymous.get("/login");
    expect(login.status()).toBe(200);
    expect(await login.text()).toContain("Sign in");
    const invitePage = await anonymous.get(`/invite/${inviteToken}`);
    expect(invitePage.status()).toBe(200);
    expect(await invitePage.text()).toMatch(/Set a password for/);
    const bogus = await anonymous.get(`/invite/inv_${"x".repeat(40)}`);
    expect(await bogus.text()).toContain("This link is invalid or has expired");
  } finally {
    await anonymous.dispose();
  }
});

test("a viewer of tenant A reads every page of A (and the console's own) and is offered nothing that changes anything", async ({ browser }) => {
  test.setTimeout(180_000);
  const viewer = await signedIn(browser, "viewer", [a.slug]);
  try {
    for (const route of consoleRoutes.filter((r) => !platformRoutes.includes(r))) {
      const url = urlOf(route, a, a, inviteToken);
      await viewer.page.goto(url);
      // Client components may fetch and render their controls after the document: let them.
      await viewer.page.waitForLoadState("networkidle");
      const main = viewer.page.locator("main");
      const heading = main.getByRole("heading", { level: 1 });
      await expect.soft(heading, `${url} for a viewer of A`).toBeVisible();
      await expect.soft(heading, `${url} for a viewer of A`).not.toHaveText(/does not exist/);
      const buttons = await main.locator("button:not([disabled]), input[type=submit]:not([disabled])").evaluateAll((els) =>
        // Hidden ones too (a closed <details>, a dialog not yet open): one click away is offered.
        els.map((e) => (e.getAttribute("aria-label") ?? e.textContent ?? (e as HTMLInputElement).value ?? "").trim()),
      );
      const changes = buttons.filter((name) => CHANGE_BUTTON.test(name));
      expect.soft(changes, `${url} offers a viewer: ${changes.join(", ")}`).toEqual([]);
      if (WRITE_PAGE.test(route.pattern)) {
        const refused = await main.getByTestId("role-required").count();
        const forms = await main.locator("form:not([method=get i])").count();
        expect.soft(refused > 0 || forms === 0, `${url} lets a viewer fill its form`).toBe(true);
      }
    }
  } finally {
    await viewer.context.close();
  }
});

for (const role of ["operator", "admin"] as const) {
  test(`an ${role} of tenant A only finds nothing of tenant B: B's pages, and B's objects under A's address, are not found`, async ({ browser }) => {
    test.setTimeout(180_000);
    const person = await signedIn(browser, role, [a.slug]);
    const who = `an ${role} of A`;
    try {
      const visit = async (url: string, expectNotFound: boolean) => {
        const res = await person.page.request.get(url);
        const html = await res.text();
        expect.soft(res.status(), `${url} for ${who}`).toBeLessThan(500);
        expect.soft(isNotFound(html), `${url} for ${who}: ${expectNotFound ? "not found expected" : "the page expected"}`).toBe(expectNotFound);
        for (const value of dataOf(b).filter((v) => !url.includes(encodeURIComponent(v)))) expect.soft(html.includes(value), `${url} shows ${who} B's ${value}`).toBe(false);
        return html;
      };
      for (const route of tenantRoutes) {
        await visit(urlOf(route, b, b, inviteToken), true);
        // B's real ids under A's slug.
        if (route.params.length > 1) await visit(urlOf(route, a, b, inviteToken), true);
        // A itself works (the checks above are not vacuous).
        await visit(urlOf(route, a, a, inviteToken), false);
      }
      for (const route of otherConsoleRoutes) await visit(urlOf(route, a, a, inviteToken), false);
      // Filters that name B are answered as if B did not exist.
      for (const url of [`/audit?tenant=${b.slug}`, `/tenants?tenant=${b.slug}`, `/?tenant=${b.slug}`]) {
        const res = await person.page.request.get(url);
        const html = await res.text();
        expect.soft(res.status(), `${url} for ${who}`).toBeLessThan(500);
        expect.soft(html.includes('"digest"') && !html.includes("NEXT_HTTP_ERROR_FALLBACK"), `${url} for ${who} ends in an error page`).toBe(false);
        for (const value of dataOf(b).filter((v) => !url.includes(encodeURIComponent(v)))) expect.soft(html.includes(value), `${url} shows ${who} B's ${value}`).toBe(false);
      }
      // The tenant list and switcher name A, never B.
      const tenants = await visit("/tenants", false);
      expect(tenants).toContain(a.slug);
    } finally {
      await person.context.close();
      if (role === "admin") await disableUser(person.id);
    }
  });
}

test("the platform's pages (users, API tokens, new tenants) are refused to anyone but an admin over every tenant", async ({ browser, page }) => {
  test.setTimeout(180_000);
  const people = [await signedIn(browser, "viewer", null), await signedIn(browser, "operator", null), await signedIn(browser, "admin", [a.slug])];
  try {
    for (const person of people) {
      for (const route of platformRoutes) {
        const url = urlOf(route, a, a, inviteToken);
        await person.page.goto(url);
        const main = person.page.locator("main");
        await expect.soft(main.getByTestId("role-required"), `${url} for ${person.email}`).toContainText(/You need the admin role/);
        expect.soft(await main.locator("form").count(), `${url} shows ${person.email} a form`).toBe(0);
        expect.soft(await main.locator("table").count(), `${url} shows ${person.email} a table`).toBe(0);
      }
      await person.page.goto("/tenants");
      await expect.soft(person.page.getByRole("form", { name: "New tenant" }), `/tenants offers ${person.email} a new tenant`).toHaveCount(0);
      await expect.soft(person.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
    }
    // The admin over every tenant gets them.
    for (const route of platformRoutes) {
      await page.goto(urlOf(route, a, a, inviteToken));
      await expect(page.locator("main").getByTestId("role-required")).toHaveCount(0);
      await expect(page.locator("main form").first()).toBeVisible();
    }
    await page.goto("/tenants");
    await expect(page.getByRole("form", { name: "New tenant" })).toBeVisible();
  } finally {
    for (const person of people) await person.context.close();
    const admin = people.find((p) => p.email.startsWith("crawl-admin"));
    if (admin) await disableUser(admin.id);
  }
});
