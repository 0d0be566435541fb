import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { encodeCursor } from "@/lib/pagination";
import { tokenFor, uniq } from "@/tests/integration/helpers";
import { GET } from "./route";

async function get(search: string, token: string): Promise<Response> {
  return GET(new Request(`http://keyward.test/api/v1/audit?${search}`, { headers: { authorization: `Bearer ${token}` } }), {
    params: Promise.resolve({}),
  });
}

describe("GET /api/v1/audit", () => {
  it("pages with nextCursor through events of one millisecond, and answers 400 naming the cursor for one it did not hand out", async () => {
    const token = await tokenFor("viewer");
    const tenant = uniq("api");
    const at = new Date("2032-01-01T00:00:00.000Z");
    await db().auditEvent.createMany({ data: Array.from({ length: 5 }, () => ({ at, actorType: "system", actorLabel: "system", action: "api.tie", tenantSlug: tenant })) });

    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`tenant=${tenant}&limit=2${cursor ? `&cursor=${cursor}` : ""}`, token);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: { id: string; at: string }[]; nextCursor: string | null };
      expect(body.items.every((e) => e.at === at.toISOString())).toBe(true);
      ids.push(...body.items.map((e) => e.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(5);
    expect([...ids].sort().reverse()).toEqual(ids);

    for (const bad of ["not-a-cursor", encodeCursor("00000000-0000-7000-8000-000000000000")]) {
      const res = await get(`cursor=${bad}`, token);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as { detail: string; errors: { path: string; message: string }[] };
      expect(problem.detail).toMatch(/^cursor: /);
      expect(problem.errors).toEqual([{ path: "cursor", message: "not a cursor from a previous page" }]);
    }
  });
});
