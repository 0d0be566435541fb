import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditFacets, FACET_LIMIT, listAuditEvents } from "@/lib/audit/list-events";
import type { AuditQuery } from "@/lib/audit/schemas";
import { encodeCursor } from "@/lib/pagination";
import { ADMIN, actorWith, uniq, withFreshDatabase } from "@/tests/integration/helpers";

const VIEWER = actorWith("viewer");

interface Seed {
  at: Date;
  action: string;
  actorLabel?: string;
  tenantSlug?: string;
}

/** Events written straight into the table, with the times given (many share one millisecond). */
async function seed(events: Seed[]): Promise<void> {
  await db().auditEvent.createMany({
    data: events.map((e, i) => ({
      at: e.at,
      actorType: "user",
      actorLabel: e.actorLabel ?? "seed@it.test",
      action: e.action,
      tenantSlug: e.tenantSlug ?? null,
      after: JSON.stringify({ i }),
    })),
  });
}

/** Every page of a query, as the ids of each page. */
async function allPages(query: Omit<AuditQuery, "cursor">): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listAuditEvents(VIEWER, { ...query, cursor });
    pages.push(page.items.map((e) => e.id));
    cursor = page.nextCursor ?? undefined;
    expect(pages.length).toBeLessThan(100);
  } while (cursor);
  return pages;
}

/** The same events in the list's order, read in one go: the reference the pages must match. */
async function reference(where: Parameters<ReturnType<typeof db>["auditEvent"]["findMany"]>[0]): Promise<string[]> {
  const rows = await db().auditEvent.findMany({ ...where, orderBy: [{ at: "desc" }, { id: "desc" }], select: { id: true } });
  return rows.map((r) => r.id);
}

const T1 = new Date("2031-05-01T10:00:00.123Z");
const T2 = new Date("2031-05-01T10:00:00.124Z");
const T3 = new Date("2031-05-02T08:30:00.000Z");

describe("audit log pagination (keyset on at, id)", () => {
  it("pages through events that share one timestamp without repeating or skipping any", async () => {
    const tenant = uniq("ties");
    // 23 events in one millisecond between two others: every page boundary falls inside the tie.
    await seed([
      { at: T3, action: "tie.after", tenantSlug: tenant },
      ...Array.from({ length: 23 }, () => ({ at: T2, action: "tie.same", tenantSlug: tenant })),
      { at: T1, action: "tie.before", tenantSlug: tenant },
    ]);
    const pages = await allPages({ tenant, limit: 7 });
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 4]);
    const ids = pages.flat();
    expect(new Set(ids).size).toBe(25);
    expect(ids).toEqual(await reference({ where: { tenantSlug: tenant } }));
    const page = await listAuditEvents(VIEWER, { tenant, limit: 25 });
    expect(page.items[0]?.action).toBe("tie.after");
    expect(page.items.at(-1)?.action).toBe("tie.before");
    expect(page.items.at(-1)?.at).toBe(T1.toISOString());
  });

  it("keeps every filter across pages: tenant, actor, action, time window", async () => {
    const tenant = uniq("flt");
    const other = uniq("flt-other");
    const actor = `${uniq("op")}@bank.test`;
    const events: Seed[] = [];
    for (let i = 0; i < 30; i++) {
      const at = i % 3 === 0 ? T1 : i % 3 === 1 ? T2 : T3;
      events.push({ at, action: i % 2 ? "flt.update" : "flt.create", actorLabel: i % 4 ? actor : "someone@bank.test", tenantSlug: i % 5 ? tenant : other });
    }
    await seed(events);
    const cases: [Omit<AuditQuery, "cursor" | "limit">, Parameters<typeof reference>[0]][] = [
      [{ tenant }, { where: { tenantSlug: tenant } }],
      [{ tenant, actor }, { where: { tenantSlug: tenant, actorLabel: actor } }],
      [{ tenant, action: "flt.update" }, { where: { tenantSlug: tenant, action: "flt.update" } }],
      [{ actor, action: "flt.create" }, { where: { actorLabel: actor, action: "flt.create" } }],
      [{ tenant, from: T2.toISOString() }, { where: { tenantSlug: tenant, at: { gte: T2 } } }],
      [{ tenant, to: T3.toISOString() }, { where: { tenantSlug: tenant, at: { lt: T3 } } }],
      [{ tenant, actor, from: T1.toISOString(), to: T3.toISOString() }, { where: { tenantSlug: tenant, actorLabel: actor, at: { gte: T1, lt: T3 } } }],
    ];
    for (const [query, where] of cases) {
      const expected = await reference(where);
      expect(expected.length, JSON.stringify(query)).toBeGreaterThan(0);
      for (const limit of [1, 4, 50]) {
        const pages = await allPages({ ...query, limit });
        expect(pages.flat(), `${JSON.stringify(query)} limit ${limit}`).toEqual(expected);
      }
    }
  });

  it("reads an action prefix as the actions under it, merged in the list's order, three-level actions included", async () => {
    const p = uniq("pfx").replace(/-/g, "_");
    const tenant = uniq("pfx");
    const actions = [`${p}.create`, `${p}.update`, `${p}.policy.update`, `${p}x.create`];
    const events: Seed[] = [];
    for (let i = 0; i < 40; i++) events.push({ at: [T1, T2, T3][i % 3]!, action: actions[i % actions.length]!, tenantSlug: tenant });
    await seed(events);

    const under = await reference({ where: { action: { startsWith: `${p}.` } } });
    expect(under).toHaveLength(30);
    for (const limit of [1, 7, 50]) expect((await allPages({ action: `${p}.*`, limit })).flat()).toEqual(under);
    expect((await allPages({ action: `${p}.policy.*`, limit: 4 })).flat()).toEqual(await reference({ where: { action: `${p}.policy.update` } }));
    expect((await allPages({ action: `${p}.*`, tenant, limit: 6 })).flat()).toEqual(under);
    expect((await listAuditEvents(VIEWER, { action: `${p}.nothing.*`, limit: 10 })).items).toEqual([]);
    expect((await listAuditEvents(VIEWER, { action: `${p}.*`, tenant: uniq("none"), limit: 10 })).items).toEqual([]);
  });

  it("reads a prefix of more actions than it merges newest first, with the same pages", async () => {
    const p = uniq("wide").replace(/-/g, "_");
    await seed(Array.from({ length: 60 }, (_, i) => ({ at: [T1, T2, T3][i % 3]!, action: `${p}.a${i % 20}` })));
    const expected = await reference({ where: { action: { startsWith: `${p}.` } } });
    expect(expected).toHaveLength(60);
    for (const limit of [7, 50]) expect((await allPages({ action: `${p}.*`, limit })).flat()).toEqual(expected);
  });

  it("refuses a cursor it did not hand out, naming the cursor", async () => {
    const tenant = uniq("cur");
    await seed([{ at: T1, action: "cur.x", tenantSlug: tenant }]);
    for (const cursor of ["garbage", encodeCursor("01900000-0000-7000-8000-000000000000"), encodeCursor("' OR 1=1 --")]) {
      await expect(listAuditEvents(VIEWER, { tenant, limit: 10, cursor })).rejects.toMatchObject({
        code: "validation_failed",
        status: 400,
        fieldErrors: [{ path: "cursor" }],
      });
    }
  });

  it("continues from a cursor whose event does not match the filters (a link kept across a filter change)", async () => {
    const tenant = uniq("keep");
    await seed([
      { at: T3, action: "keep.a", tenantSlug: tenant },
      { at: T2, action: "keep.b", tenantSlug: tenant },
      { at: T1, action: "keep.a", tenantSlug: tenant },
    ]);
    const middle = (await listAuditEvents(VIEWER, { tenant, limit: 3 })).items[1];
    expect(middle?.action).toBe("keep.b");
    const page = await listAuditEvents(VIEWER, { tenant, action: "keep.a", limit: 10, cursor: encodeCursor(middle!.id) });
    expect(page.items.map((e) => e.at)).toEqual([T1.toISOString()]);
    expect(page.nextCursor).toBeNull();
  });
});

describe("audit filter menus", () => {
  it("lists each action and actor once, sorted, from the indexes", async () => {
    const p = uniq("fac").replace(/-/g, "_");
    const actors = [`${p}-b@bank.test`, `${p}-a@bank.test`];
    await seed(Array.from({ length: 12 }, (_, i) => ({ at: [T1, T2][i % 2]!, action: `${p}.${["z", "m", "a"][i % 3]}`, actorLabel: actors[i % 2] })));
    const facets = await auditFacets(VIEWER);
    // The reference: GROUP BY over the whole (small) test table.
    const actions = await db().auditEvent.groupBy({ by: ["action"], orderBy: { action: "asc" } });
    const actorLabels = await db().auditEvent.groupBy({ by: ["actorLabel"], orderBy: { actorLabel: "asc" } });
    expect(facets.actions).toEqual(actions.map((r) => r.action));
    expect(facets.actors).toEqual(actorLabels.map((r) => r.actorLabel));
    expect(facets.actions.filter((a) => a.startsWith(`${p}.`))).toEqual([`${p}.a`, `${p}.m`, `${p}.z`]);
    expect(facets.actors.filter((a) => a.startsWith(p))).toEqual([`${p}-a@bank.test`, `${p}-b@bank.test`]);
  });

  it("holds at most FACET_LIMIT values", async () => {
    await withFreshDatabase(async () => {
      await seed(Array.from({ length: FACET_LIMIT + 20 }, (_, i) => ({ at: T1, action: "many.actors", actorLabel: `user-${String(i).padStart(4, "0")}@bank.test` })));
      const facets = await auditFacets(ADMIN);
      expect(facets.actions).toEqual(["many.actors"]);
      expect(facets.actors).toHaveLength(FACET_LIMIT);
      expect(facets.actors[0]).toBe("user-0000@bank.test");
      expect(facets.actors.at(-1)).toBe(`user-${String(FACET_LIMIT - 1).padStart(4, "0")}@bank.test`);
    });
  });
});
