// Optimistic concurrency across processes: two real Keyward servers on one
// PostgreSQL database receive conflicting changes of the same client, each
// sent with the same If-Match. Exactly one is applied (200), the other is
// refused (412 problem+json) and stores nothing: the client holds the
// winner's change, and one audit event describes it.

import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { requestInstance, twoInstancesOnOneDatabase, type Instance } from "./instances";

const API_TOKEN = `kw_mi_${randomBytes(24).toString("hex")}`;
const ROUNDS = 5;

const request = (inst: Instance, method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) =>
  requestInstance(inst, API_TOKEN, method, pathname, body, headers);

describe("conflicting edits on two instances", () => {
  const mi = twoInstancesOnOneDatabase("miedit", {
    KEYWARD_PUBLIC_URL: "http://keyward-mi.test",
    KEYWARD_BOOTSTRAP_API_TOKEN: API_TOKEN,
    KEYWARD_SCHEDULER: "off",
    LOG_LEVEL: "warn",
  });
  let a: Instance;
  let b: Instance;

  beforeAll(() => {
    ({ a, b } = mi);
  });

  it("applies exactly one of two PATCHes sent with the same If-Match, and refuses the other with 412", async () => {
    const slug = `mi-edit-${randomBytes(4).toString("hex")}`;
    expect((await request(a, "POST", "/api/v1/tenants", { slug, name: `Edits ${slug}`, profile: "generic" })).status).toBe(201);
    const created = await request(a, "POST", `/api/v1/tenants/${slug}/clients`, { name: "TPP", tokenEndpointAuthMethod: "client_secret_basic", grantTypes: ["client_credentials"] });
    expect(created.status).toBe(201);
    const { clientId } = (await created.json()) as { clientId: string };
    const path = `/api/v1/tenants/${slug}/clients/${clientId}`;
    const auditCount = async () => {
      const res = await request(a, "GET", `/api/v1/audit?tenant=${slug}&action=client.update&limit=100`);
      const page = (await res.json()) as { items: { action: string; target?: { id?: string } | null }[] };
      return page.items.filter((e) => e.action === "client.update").length;
    };

    for (let round = 1; round <= ROUNDS; round++) {
      // Each instance reads the client (both see the same version), then both write at once.
      const [readA, readB] = await Promise.all([request(a, "GET", path), request(b, "GET", path)]);
      const etag = readA.headers.get("etag")!;
      expect(etag).toMatch(/^"v\d+"$/);
      expect(readB.headers.get("etag")).toBe(etag);
      const names = { a: `written by a in round ${round}`, b: `written by b in round ${round}` };
      const eventsBefore = await auditCount();
      const [resA, resB] = await Promise.all([
        request(a, "PATCH", path, { name: names.a }, { "if-match": etag }),
        request(b, "PATCH", path, { name: names.b }, { "if-match": etag }),
      ]);
      const statuses = [resA.status, resB.status].sort();
      expect(statuses, `round ${round}`).toEqual([200, 412]);
      const [winner, loser, winnerName] = resA.status === 200 ? [resA, resB, names.a] : [resB, resA, names.b];
      expect(loser.headers.get("content-type")).toBe("application/problem+json");
      const problem = (await loser.json()) as { status: number; code: string; detail: string };
      expect(problem).toMatchObject({ status: 412, code: "precondition_failed" });
      expect(problem.detail).toContain(`client "${clientId}" was changed`);
      const newTag = winner.headers.get("etag");
      expect(newTag).not.toBe(etag);
      expect(loser.headers.get("etag")).toBe(newTag);
      // Both instances now read the winner's change, at the winner's version.
      for (const inst of [a, b]) {
        const now = await request(inst, "GET", path);
        expect(now.headers.get("etag")).toBe(newTag);
        expect(((await now.json()) as { name: string }).name).toBe(winnerName);
      }
      expect(await auditCount()).toBe(eventsBefore + 1);
    }
  });
});
