import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { acceptInvite, createPasswordResetLink, createUser, findInvite, listUsers, updateUser } from "@/lib/auth/users";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { createTenant } from "@/lib/tenants/tenants";
import { ADMIN, actorWith, uniq, userWith } from "@/tests/integration/helpers";

describe("users", () => {
  it("creates a user with a password who can then sign in, and audits it without the password", async () => {
    const email = `${uniq("alice")}@bank.test`;
    const password = "a long and fine passphrase 42";
    const user = await createUser(ADMIN, { email: `  ${email.toUpperCase()} `, name: "Alice", role: "operator", password });
    expect(user).toMatchObject({ email, name: "Alice", role: "operator", status: "active" });
    const signedIn = await signInWithPassword(email, password, { ip: "10.0.0.1" });
    expect(signedIn.id).toBe(user.id);
    const event = await db().auditEvent.findFirst({ where: { action: "user.create", targetId: user.id } });
    expect(event?.actorLabel).toBe(ADMIN.label);
    expect(event?.after).toContain(email);
    expect(event?.after).not.toContain(password);
  });

  it("refuses a duplicate email and bad fields, naming them, and stores nothing", async () => {
    const { email } = await userWith("viewer");
    await expect(createUser(ADMIN, { email, name: "Again", role: "viewer", password: "another fine passphrase" })).rejects.toMatchObject({
      code: "conflict",
      fieldErrors: [{ path: "email", message: "is already used by another user" }],
    });
    const before = await db().user.count();
    await expect(createUser(ADMIN, { email: "not-an-email", name: "", role: "root" })).rejects.toMatchObject({ code: "validation_failed" });
    try {
      await createUser(ADMIN, { email: "not-an-email", name: "", role: "root" });
    } catch (error) {
      const paths = (error as { fieldErrors: { path: string }[] }).fieldErrors.map((f) => f.path).sort();
      expect(paths).toEqual(["email", "name", "role"]);
    }
    await expect(createUser(ADMIN, { email: `${uniq("weak")}@bank.test`, name: "W", role: "viewer", password: "aaaaaaaaaaaaaaaa" })).rejects.toMatchObject({
      fieldErrors: [{ path: "password", message: "is too repetitive" }],
    });
    expect(await db().user.count()).toBe(before);
  });

  it("invites a user with a one-time link that sets the password once", async () => {
    const email = `${uniq("invitee")}@bank.test`;
    const created = await createUser(ADMIN, { email, name: "Invitee", role: "viewer" });
    expect(created.status).toBe("invited");
    expect(created.inviteUrl).toMatch(/^http:\/\/keyward\.test\/invite\/inv_/);
    const token = created.inviteUrl!.split("/").at(-1)!;
    expect(await findInvite(token)).toEqual({ email, name: "Invitee" });
    await expect(signInWithPassword(email, "whatever password here", {})).rejects.toMatchObject({ reason: "invalid_credentials" });
    await expect(acceptInvite(token, "short", {})).rejects.toMatchObject({ fieldErrors: [{ path: "password" }] });
    await acceptInvite(token, "my chosen passphrase 7", {});
    expect((await signInWithPassword(email, "my chosen passphrase 7", {})).email).toBe(email);
    await expect(acceptInvite(token, "another passphrase 8", {})).rejects.toMatchObject({ code: "not_found" });
    expect(await findInvite(token)).toBeNull();
  });

  it("a reset link replaces the password and the old one stops working", async () => {
    const user = await userWith("operator");
    const { inviteUrl } = await createPasswordResetLink(ADMIN, user.id);
    await acceptInvite(inviteUrl.split("/").at(-1)!, "a brand new passphrase 9", {});
    await expect(signInWithPassword(user.email, user.password, {})).rejects.toMatchObject({ reason: "invalid_credentials" });
    expect((await signInWithPassword(user.email, "a brand new passphrase 9", {})).id).toBe(user.id);
  });

  it("changes roles, disables and re-enables, and a disabled user cannot sign in", async () => {
    const user = await userWith("viewer");
    expect((await updateUser(ADMIN, user.id, { role: "operator" })).role).toBe("operator");
    expect((await updateUser(ADMIN, user.id, { disabled: true })).status).toBe("disabled");
    await expect(signInWithPassword(user.email, user.password, {})).rejects.toMatchObject({ reason: "invalid_credentials" });
    expect((await updateUser(ADMIN, user.id, { disabled: false })).status).toBe("active");
    const actions = (await db().auditEvent.findMany({ where: { targetId: user.id }, orderBy: { at: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["user.create", "user.change_role", "user.disable", "user.enable"]));
  });

  it("never leaves the console without an active admin", async () => {
    // Make every admin but one inactive inside this test's view: demote the
    // other admins created by other tests first, then try to demote the last.
    const admins = await db().user.findMany({ where: { role: "admin", disabledAt: null, passwordHash: { not: null } } });
    const keep = await userWith("admin");
    for (const a of admins) await updateUser(ADMIN, a.id, { role: "operator" });
    await expect(updateUser(ADMIN, keep.id, { role: "viewer" })).rejects.toMatchObject({ code: "last_admin", status: 409 });
    await expect(updateUser(ADMIN, keep.id, { disabled: true })).rejects.toMatchObject({ code: "last_admin" });
    const second = await userWith("admin");
    expect((await updateUser(ADMIN, keep.id, { role: "viewer" })).role).toBe("viewer");
    await expect(updateUser(ADMIN, second.id, { disabled: true })).rejects.toMatchObject({ code: "last_admin" });
    // An admin of some tenants only does not count: it cannot manage users.
    await createTenant(ADMIN, { slug: "last_admin_t", name: "T" }).catch(() => undefined);
    await expect(updateUser(ADMIN, second.id, { tenants: ["last_admin_t"] })).rejects.toMatchObject({ code: "last_admin", fieldErrors: [{ path: "tenants" }] });
    const scopedAdmin = await createUser(ADMIN, { email: `${uniq("scoped")}@b.test`, name: "Scoped", role: "admin", password: "a fine long passphrase 7", tenants: ["last_admin_t"] });
    await expect(updateUser(ADMIN, second.id, { disabled: true })).rejects.toMatchObject({ code: "last_admin" });
    await updateUser(ADMIN, scopedAdmin.id, { disabled: true });
    for (const a of admins) await updateUser(ADMIN, a.id, { role: "admin" });
  });

  it("limits a user to some tenants, checks each exists, audits the change, and widens it back", async () => {
    const a = (await createTenant(ADMIN, { slug: uniq("ua").replace(/-/g, "_"), name: "A" })).slug;
    const b = (await createTenant(ADMIN, { slug: uniq("ub").replace(/-/g, "_"), name: "B" })).slug;
    const before = await db().user.count();
    await expect(createUser(ADMIN, { email: `${uniq("x")}@b.test`, name: "X", role: "operator", tenants: [a, "no_such_tenant"] })).rejects.toMatchObject({
      code: "validation_failed",
      fieldErrors: [{ path: "tenants.1", message: 'tenant "no_such_tenant" does not exist' }],
    });
    await expect(createUser(ADMIN, { email: `${uniq("x")}@b.test`, name: "X", role: "operator", tenants: [] })).rejects.toMatchObject({
      fieldErrors: [{ path: "tenants", message: "lists at least one tenant (null means every tenant)" }],
    });
    expect(await db().user.count()).toBe(before);
    const user = await createUser(ADMIN, { email: `${uniq("op")}@b.test`, name: "Op", role: "operator", password: "a fine long passphrase 8", tenants: [b, a] });
    expect(user.tenants).toEqual([a, b].sort());
    const moved = await updateUser(ADMIN, user.id, { tenants: [b] });
    expect(moved.tenants).toEqual([b]);
    const event = await db().auditEvent.findFirst({ where: { action: "user.change_tenants", targetId: user.id } });
    expect(JSON.parse(event!.before!)).toMatchObject({ tenants: [a, b].sort() });
    expect(JSON.parse(event!.after!)).toMatchObject({ tenants: [b] });
    expect((await updateUser(ADMIN, user.id, { tenants: null })).tenants).toBeNull();
    // Only admins over every tenant manage users.
    const scoped = { ...ADMIN, tenants: [a] };
    await expect(listUsers(scoped)).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/over every tenant/) });
  });

  it("only admins manage users", async () => {
    for (const role of ["viewer", "operator"] as const) {
      await expect(listUsers(actorWith(role))).rejects.toMatchObject({ code: "forbidden", status: 403 });
      await expect(createUser(actorWith(role), { email: `${uniq("x")}@b.test`, name: "x", role: "admin", password: "a fine long passphrase" })).rejects.toMatchObject({
        code: "forbidden",
      });
    }
  });
});

describe("users under concurrency", () => {
  it("two requests for one new email at once: one is created, the other gets the email conflict", async () => {
    const email = `${uniq("race")}@bank.test`;
    const results = await Promise.allSettled(
      [1, 2].map((n) => createUser(ADMIN, { email, name: `Racer ${n}`, role: "viewer", password: "a fine long passphrase" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "conflict", fieldErrors: [{ path: "email" }] });
    expect(await db().user.count({ where: { email } })).toBe(1);
  });

  it("a disabled user gets no reset link, and a link ends a sign-in lockout", async () => {
    const user = await userWith("viewer");
    await updateUser(ADMIN, user.id, { disabled: true });
    await expect(createPasswordResetLink(ADMIN, user.id)).rejects.toMatchObject({ code: "conflict" });
    await updateUser(ADMIN, user.id, { disabled: false });
    await db().loginThrottle.create({ data: { key: `account:${user.email}`, failures: 10, lastFailureAt: new Date(), lockedUntil: new Date(Date.now() + 600_000) } });
    const { inviteUrl } = await createPasswordResetLink(ADMIN, user.id);
    await acceptInvite(inviteUrl.split("/").at(-1)!, "fresh passphrase after lockout", {});
    expect((await signInWithPassword(user.email, "fresh passphrase after lockout", {})).id).toBe(user.id);
  });

  it("missing fields read 'is required'", async () => {
    const error = (await createUser(ADMIN, {}).catch((e: unknown) => e)) as { fieldErrors: { path: string; message: string }[] };
    expect(error.fieldErrors).toEqual(
      expect.arrayContaining([
        { path: "email", message: "is required" },
        { path: "name", message: "is required" },
        { path: "role", message: "is required" },
      ]),
    );
  });
});
