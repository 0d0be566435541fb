import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { listAuditEvents } from "@/lib/audit/list-events";
import { exportAuditCsv } from "@/lib/audit/export-csv";
import { recordAudit } from "@/lib/audit/record-event";
import { ADMIN, actorWith, uniq, withFreshDatabase } from "@/tests/integration/helpers";

describe("the audit log", () => {
  it("is append-only in the database itself", async () => {
    const tenant = uniq("ao");
    await db().$transaction((tx) => recordAudit(tx, ADMIN, { action: "test.append_only", tenantSlug: tenant }));
    const row = await db().auditEvent.findFirstOrThrow({ where: { tenantSlug: tenant } });
    // PostgreSQL reports the trigger's message; the libsql adapter reports
    // SQLite's RAISE(ABORT) as a constraint violation.
    await expect(db().auditEvent.update({ where: { id: row.id }, data: { action: "tampered" } })).rejects.toThrow(/append-only|constraint/i);
    await expect(db().auditEvent.delete({ where: { id: row.id } })).rejects.toThrow(/append-only|constraint/i);
    await expect(db().auditEvent.deleteMany({ where: { tenantSlug: tenant } })).rejects.toThrow(/append-only|constraint/i);
    expect((await db().auditEvent.findUniqueOrThrow({ where: { id: row.id } })).action).toBe("test.append_only");
  });

  it("is written in the transaction of the change: a rolled-back change leaves no event", async () => {
    const tenant = uniq("rb");
    await expect(
      db().$transaction(async (tx) => {
        await recordAudit(tx, ADMIN, { action: "test.rolled_back", tenantSlug: tenant });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db().auditEvent.count({ where: { tenantSlug: tenant } })).toBe(0);
  });

  it("redacts secrets from summaries", async () => {
    // In a database of its own: the redacted JWK keeps its "d" member, which
    // other tests' scans of the shared database for private JWKs would find.
    await withFreshDatabase(async () => {
      const tenant = uniq("redact");
      await db().$transaction((tx) =>
        recordAudit(tx, ADMIN, { action: "test.redact", tenantSlug: tenant, after: { name: "ok", clientSecret: "s3cret-value", jwk: { kty: "EC", d: "private-d" } } }),
      );
      const row = await db().auditEvent.findFirstOrThrow({ where: { tenantSlug: tenant } });
      expect(row.after).not.toContain("s3cret-value");
      expect(row.after).not.toContain("private-d");
      expect(JSON.parse(row.after!)).toEqual({ name: "ok", clientSecret: "[redacted]", jwk: { kty: "EC", d: "[redacted]" } });
    });
  });

  it("filters by tenant, actor, action prefix and time, newest first, with cursor pagination", async () => {
    const tenant = uniq("pg");
    const actor = actorWith("operator", `${uniq("op")}@bank.test`);
    for (let i = 0; i < 25; i++) {
      await db().$transaction((tx) => recordAudit(tx, actor, { action: i % 2 ? "widget.update" : "widget.create", tenantSlug: tenant, after: { i } }));
    }
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listAuditEvents(actorWith("viewer"), { tenant, limit: 10, cursor });
      seen.push(...page.items.map((e) => (e.after as { i: number }).i));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...Array(25).keys()].reverse());
    const creates = await listAuditEvents(ADMIN, { tenant, action: "widget.create", limit: 50 });
    expect(creates.items).toHaveLength(13);
    expect((await listAuditEvents(ADMIN, { tenant, action: "widget.*", limit: 50 })).items).toHaveLength(25);
    expect((await listAuditEvents(ADMIN, { tenant, actor: actor.label, limit: 50 })).items).toHaveLength(25);
    expect((await listAuditEvents(ADMIN, { tenant, actor: "someone-else", limit: 50 })).items).toHaveLength(0);
    expect((await listAuditEvents(ADMIN, { tenant, to: "2000-01-01T00:00:00Z", limit: 50 })).items).toHaveLength(0);
    expect((await listAuditEvents(ADMIN, { tenant, from: "2000-01-01T00:00:00Z", limit: 50 })).items).toHaveLength(25);
    await expect(listAuditEvents(ADMIN, { tenant, limit: 10, cursor: "garbage" })).rejects.toMatchObject({ fieldErrors: [{ path: "cursor" }] });
  });

  it("exports CSV with a header, one row per event, and formula cells neutralised", async () => {
    const tenant = uniq("csv");
    await db().$transaction((tx) => recordAudit(tx, actorWith("admin", "=cmd|' /C calc'!A0"), { action: "test.csv", tenantSlug: tenant, after: { note: "a,b\"c" } }));
    let csv = "";
    for await (const chunk of exportAuditCsv(ADMIN, { tenant })) csv += chunk;
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("at,actor_type,actor,action,target_type,target_id,tenant,ip,request_id,before,after");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`'=cmd|' /C calc'!A0`);
    expect(lines[1]).toContain(`"{""note"":""a,b\\""c""}"`);
  });
});
