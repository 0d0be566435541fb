import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant } from "@/lib/tenants/tenants";
import { getClient, listClients, SEARCH_WINDOW } from "@/lib/clients/clients";
import { ADMIN, actorWith, uniq } from "@/tests/integration/helpers";

const VIEWER = actorWith("viewer");

/**
 * A tenant with `count` clients written straight into the table, client i
 * named by `name(i)`; ids ascend with i, so the list (newest first) reads
 * them from i = count - 1 down to 0.
 */
async function tenantWith(count: number, name: (i: number) => string, extra: (i: number) => { status?: string; registeredVia?: string } = () => ({})) {
  const slug = uniq("lst").replace(/-/g, "_");
  const tenant = await createTenant(ADMIN, { slug, name: "List Bank" });
  const { id: tenantId } = await db().tenant.findUniqueOrThrow({ where: { slug: tenant.slug }, select: { id: true } });
  const head = randomBytes(4).toString("hex");
  await db().client.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      id: `${head}-0000-7000-8000-${String(i).padStart(12, "0")}`,
      tenantId,
      clientId: `kwc_${head}_${i}`,
      name: name(i),
      tokenEndpointAuthMethod: "client_secret_basic",
      grantTypes: JSON.stringify(["client_credentials"]),
      createdBy: "it",
      ...extra(i),
    })),
  });
  return slug;
}

/** Every page of a query: the names on each page. */
async function pages(slug: string, query: Record<string, unknown>): Promise<string[][]> {
  const out: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listClients(VIEWER, slug, { ...query, cursor });
    out.push(page.items.map((c) => c.name));
    cursor = page.nextCursor ?? undefined;
    expect(out.length).toBeLessThan(50);
  } while (cursor);
  return out;
}

describe("the client list", () => {
  it("keeps filters across pages, newest first, each client once", async () => {
    const slug = await tenantWith(
      60,
      (i) => `Client ${i}`,
      (i) => ({ status: i % 3 === 0 ? "suspended" : "active", registeredVia: i % 2 ? "dcr" : "console" }),
    );
    const expected = (keep: (i: number) => boolean) =>
      Array.from({ length: 60 }, (_, i) => 59 - i)
        .filter(keep)
        .map((i) => `Client ${i}`);
    expect((await pages(slug, { limit: 7 })).flat()).toEqual(expected(() => true));
    expect((await pages(slug, { limit: 4, status: "suspended" })).flat()).toEqual(expected((i) => i % 3 === 0));
    expect((await pages(slug, { limit: 5, status: "active", registeredVia: "dcr" })).flat()).toEqual(expected((i) => i % 3 !== 0 && i % 2 === 1));
    expect((await pages(slug, { limit: 50, q: "client 1" })).flat()).toEqual(expected((i) => String(i).startsWith("1")));
  });

  it(`bounds a search to ${SEARCH_WINDOW} clients a page and finds every match across pages`, async () => {
    const count = SEARCH_WINDOW + 150;
    // Matches: one among the newest clients, three among the oldest (beyond the first window), one at the window's edge.
    const edge = count - SEARCH_WINDOW;
    const needles = new Set([count - 10, edge, 5, 6, 7]);
    const slug = await tenantWith(count, (i) => (needles.has(i) ? `Needle ${i}` : `Hay ${i}`));

    const first = await listClients(VIEWER, slug, { q: "needle", limit: 50 });
    // The first window holds the newest SEARCH_WINDOW clients: two matches, a short page, and more to search.
    expect(first.items.map((c) => c.name)).toEqual([`Needle ${count - 10}`, `Needle ${edge}`]);
    expect(first.nextCursor).not.toBeNull();
    const second = await listClients(VIEWER, slug, { q: "needle", limit: 50, cursor: first.nextCursor! });
    expect(second.items.map((c) => c.name)).toEqual(["Needle 7", "Needle 6", "Needle 5"]);
    expect(second.nextCursor).toBeNull();

    // A page size smaller than the matches pages within the window as usual.
    expect(await pages(slug, { q: "needle", limit: 1 })).toEqual([[`Needle ${count - 10}`], [`Needle ${edge}`], ["Needle 7"], ["Needle 6"], ["Needle 5"]]);

    // A window without a match is an empty page that still leads on.
    const old = await pages(slug, { q: "needle 6", limit: 50 });
    expect(old).toEqual([[], ["Needle 6"]]);
    // No match at all: every window is read once, then the list ends.
    expect(await pages(slug, { q: "nothing like it", limit: 50 })).toEqual([[], []]);
  });

  it("lists summaries: a client's keys and software statement are in its own view", async () => {
    const slug = await tenantWith(1, () => "Keyed");
    const ssa = `${Buffer.from('{"alg":"PS256"}').toString("base64url")}.${Buffer.from('{"software_id":"sw-1"}').toString("base64url")}.c2ln`;
    await db().client.updateMany({ where: { tenant: { slug }, name: "Keyed" }, data: { jwks: JSON.stringify({ keys: [{ kty: "EC", kid: "k1" }] }), softwareStatement: ssa } });
    const [item] = (await listClients(VIEWER, slug, {})).items;
    expect(item).toMatchObject({ name: "Keyed", tokenEndpointAuthMethod: "client_secret_basic", grantTypes: ["client_credentials"] });
    expect(item).not.toHaveProperty("jwks");
    expect(item).not.toHaveProperty("softwareStatement");
    expect(item).not.toHaveProperty("softwareStatementClaims");
    const full = await getClient(VIEWER, slug, item!.clientId);
    expect(full).toMatchObject({ ...item, jwks: { keys: [{ kid: "k1" }] }, softwareStatement: ssa, softwareStatementClaims: { software_id: "sw-1" } });
  });

  it("reads a search of a tenant smaller than the window in one page", async () => {
    const slug = await tenantWith(SEARCH_WINDOW, (i) => (i % 500 === 0 ? `Needle ${i}` : `Hay ${i}`));
    const page = await listClients(VIEWER, slug, { q: "NEEDLE", limit: 50 });
    expect(page.items.map((c) => c.name)).toEqual(["Needle 1500", "Needle 1000", "Needle 500", "Needle 0"]);
    expect(page.nextCursor).toBeNull();
  });
});
