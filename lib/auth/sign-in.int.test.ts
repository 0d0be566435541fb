import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { signInWithPassword, THROTTLE } from "@/lib/auth/sign-in";
import { uniq, userWith } from "@/tests/integration/helpers";

async function backdate(key: string, ms: number) {
  const row = await db().loginThrottle.findUniqueOrThrow({ where: { key } });
  await db().loginThrottle.update({ where: { key }, data: { lastFailureAt: new Date(row.lastFailureAt.getTime() - ms) } });
}

describe("console sign-in", () => {
  it("gives one message for an unknown account and a wrong password, and audits both", async () => {
    const user = await userWith("viewer");
    const ip = `198.51.100.${Math.floor(Math.random() * 200)}`;
    const unknown = `${uniq("ghost")}@bank.test`;
    await expect(signInWithPassword(unknown, "whatever-password", { ip })).rejects.toMatchObject({ message: "Email or password is incorrect." });
    await expect(signInWithPassword(user.email, "wrong-password!!", { ip })).rejects.toMatchObject({ message: "Email or password is incorrect." });
    const failed = await db().auditEvent.findMany({ where: { action: "auth.login_failed", ip } });
    expect(failed.map((e) => e.actorLabel).sort()).toEqual([unknown, user.email].sort());
    expect(failed.map((e) => JSON.parse(e.after!).reason).sort()).toEqual(["unknown_account", "wrong_password"]);
    expect(failed.every((e) => !`${e.after}`.includes("wrong-password"))).toBe(true);
    await signInWithPassword(user.email, user.password, { ip });
    expect(await db().auditEvent.count({ where: { action: "auth.login", actorLabel: user.email } })).toBe(1);
  });

  it("slows an account down after repeated failures, then locks it, even for the right password", async () => {
    const user = await userWith("operator");
    const key = `account:${user.email}`;
    const ipFor = (i: number) => `203.0.113.${i}`;
    for (let i = 0; i < THROTTLE.freeFailures; i++) {
      await expect(signInWithPassword(user.email, "bad guess", { ip: ipFor(i) })).rejects.toMatchObject({ reason: "invalid_credentials" });
    }
    // The next attempt must wait, and is refused without checking the password.
    await expect(signInWithPassword(user.email, user.password, { ip: ipFor(50) })).rejects.toMatchObject({ reason: "throttled", status: 429 });
    for (let i = THROTTLE.freeFailures; i < THROTTLE.accountLockAfter; i++) {
      await backdate(key, THROTTLE.maxBackoffMs + 1000);
      await expect(signInWithPassword(user.email, "bad guess", { ip: ipFor(i) })).rejects.toMatchObject({
        reason: i === THROTTLE.accountLockAfter - 1 ? "locked" : "invalid_credentials",
      });
    }
    await backdate(key, THROTTLE.maxBackoffMs + 1000);
    await expect(signInWithPassword(user.email, user.password, { ip: ipFor(60) })).rejects.toMatchObject({ reason: "locked" });
    expect(await db().auditEvent.count({ where: { action: "auth.lockout", actorLabel: user.email } })).toBe(1);
    expect(await db().auditEvent.count({ where: { action: "auth.login_locked_out", actorLabel: user.email } })).toBeGreaterThan(0);
    // When the lock has passed, the right password works and the counter resets.
    await db().loginThrottle.update({ where: { key }, data: { lockedUntil: new Date(Date.now() - 1000), lastFailureAt: new Date(Date.now() - THROTTLE.windowMs - 1000) } });
    expect((await signInWithPassword(user.email, user.password, { ip: ipFor(61) })).email).toBe(user.email);
    expect(await db().loginThrottle.findUnique({ where: { key } })).toBeNull();
  });

  it("locks an address that sprays passwords across many accounts", async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}`;
    const victim = await userWith("admin");
    let last: unknown;
    for (let i = 0; i < THROTTLE.addressLockAfter; i++) {
      await db().loginThrottle.updateMany({ where: { key: `ip:${ip}` }, data: { lastFailureAt: new Date(Date.now() - THROTTLE.maxBackoffMs - 1000) } });
      last = await signInWithPassword(`${uniq("spray")}@bank.test`, "Summer2026!", { ip }).catch((e: unknown) => e);
    }
    expect(last).toMatchObject({ reason: "locked" });
    // The address is locked, even for a real account with its right password.
    await expect(signInWithPassword(victim.email, victim.password, { ip })).rejects.toMatchObject({ reason: "locked" });
    // Another address is not affected.
    expect((await signInWithPassword(victim.email, victim.password, { ip: "192.0.2.251" })).id).toBe(victim.id);
  });
});
