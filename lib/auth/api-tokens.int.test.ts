import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from "@/lib/auth/api-tokens";
import { ADMIN, actorWith, uniq } from "@/tests/integration/helpers";

describe("API tokens", () => {
  it("is shown once, stored as a hash, and authenticates with its role", async () => {
    const created = await createApiToken(ADMIN, { name: uniq("ci"), role: "operator" });
    expect(created.token).toMatch(/^kw_[A-Za-z0-9_-]{43}$/);
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(row)).not.toContain(created.token);
    const actor = await authenticateApiToken(created.token, { ip: "192.0.2.1" });
    expect(actor).toMatchObject({ type: "token", id: created.id, role: "operator", label: `token:${created.name}` });
    const listed = (await listApiTokens(ADMIN)).find((t) => t.id === created.id)!;
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.token);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "token.create", targetId: created.id } });
    expect(`${audit.before}${audit.after}`).not.toContain(created.token);
  });

  it("stops working at once when revoked", async () => {
    const created = await createApiToken(ADMIN, { name: uniq("revoke-me"), role: "admin" });
    await authenticateApiToken(created.token);
    expect((await revokeApiToken(ADMIN, created.id)).status).toBe("revoked");
    await expect(authenticateApiToken(created.token)).rejects.toMatchObject({ code: "unauthenticated", message: "the bearer token has been revoked" });
  });

  it("stops working when expired, and refuses an expiry in the past", async () => {
    await expect(createApiToken(ADMIN, { name: "past", role: "viewer", expiresAt: "2020-01-01T00:00:00Z" })).rejects.toMatchObject({
      fieldErrors: [{ path: "expiresAt", message: "must be in the future" }],
    });
    const created = await createApiToken(ADMIN, { name: uniq("short"), role: "viewer", expiresAt: new Date(Date.now() + 1500).toISOString() });
    await authenticateApiToken(created.token);
    await new Promise((r) => setTimeout(r, 1600));
    await expect(authenticateApiToken(created.token)).rejects.toMatchObject({ message: "the bearer token has expired" });
  });

  it("refuses unknown tokens and non-admins", async () => {
    await expect(authenticateApiToken("kw_nope")).rejects.toMatchObject({ code: "unauthenticated" });
    await expect(createApiToken(actorWith("operator"), { name: "x", role: "admin" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(listApiTokens(actorWith("viewer"))).rejects.toMatchObject({ code: "forbidden" });
  });
});
