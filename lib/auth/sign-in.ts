import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { isRole, type Actor, type Role, requirePlatformRole } from "@/lib/auth/roles";
import { verifyPassword } from "@/lib/auth/password";

/**
 * Login throttling. Failures are counted per account and per client address;
 * after a few, the next attempt must wait (1 s, 2 s, 4 s … at most 30 s), and past
 * a limit the key locks for a while. Attempts refused by the throttle are not
 * checked against the password at all, so a guessing loop learns nothing.
 */
export const THROTTLE = {
  /** failures before backoff starts */
  freeFailures: 3,
  maxBackoffMs: 30_000,
  /** failures that lock an account */
  accountLockAfter: 10,
  /** failures that lock an address (password spraying across accounts) */
  addressLockAfter: 30,
  lockMs: 15 * 60_000,
  /** a quiet period after which the counter starts again */
  windowMs: 30 * 60_000,
} as const;

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export type SignInFailure = "invalid_credentials" | "throttled" | "locked";

export class SignInError extends AppError {
  constructor(
    readonly reason: SignInFailure,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(reason === "invalid_credentials" ? "unauthenticated" : reason === "locked" ? "locked" : "rate_limited", message);
    this.name = "AppError";
  }
}

interface ThrottleState {
  key: string;
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

function backoffMs(failures: number): number {
  if (failures < THROTTLE.freeFailures) return 0;
  return Math.min(1000 * 2 ** (failures - THROTTLE.freeFailures), THROTTLE.maxBackoffMs);
}

/** How long the key must wait before its next attempt, in ms (0 = may try now). */
export function waitMs(state: ThrottleState | null, now: Date): { ms: number; locked: boolean } {
  if (!state) return { ms: 0, locked: false };
  if (state.lockedUntil && state.lockedUntil > now) return { ms: state.lockedUntil.getTime() - now.getTime(), locked: true };
  if (now.getTime() - state.lastFailureAt.getTime() > THROTTLE.windowMs) return { ms: 0, locked: false };
  const until = state.lastFailureAt.getTime() + backoffMs(state.failures);
  return { ms: Math.max(0, until - now.getTime()), locked: false };
}

function fresh(state: ThrottleState | null, now: Date): number {
  if (!state) return 0;
  const expiredLock = state.lockedUntil && state.lockedUntil <= now;
  const quiet = now.getTime() - state.lastFailureAt.getTime() > THROTTLE.windowMs;
  return expiredLock || quiet ? 0 : state.failures;
}

/**
 * Checks an email and password for the console sign-in, with throttling and
 * audit. Answers the user on success; throws SignInError otherwise, with a
 * message that never says whether the account exists.
 */
export async function signInWithPassword(
  emailInput: string,
  password: string,
  meta: { ip?: string; requestId?: string },
): Promise<SignedInUser> {
  const email = emailInput.trim().toLowerCase().slice(0, 320);
  const accountKey = `account:${email}`;
  // Without a client address (the CLI, tests) only the account is counted.
  const addressKey = meta.ip ? `ip:${meta.ip}` : undefined;
  const now = new Date();
  const [account, address] = await Promise.all([
    db().loginThrottle.findUnique({ where: { key: accountKey } }),
    addressKey ? db().loginThrottle.findUnique({ where: { key: addressKey } }) : null,
  ]);
  const wait = [waitMs(account, now), waitMs(address, now)].sort((a, b) => b.ms - a.ms)[0] ?? { ms: 0, locked: false };
  const actorFor = (id?: string): Actor => ({ type: "user", id, label: email || "(empty)", role: "viewer", ...meta });
  if (wait.ms > 0) {
    const seconds = Math.ceil(wait.ms / 1000);
    await db().$transaction((tx) =>
      recordAudit(tx, actorFor(), { action: wait.locked ? "auth.login_locked_out" : "auth.login_throttled", after: { retryAfterSeconds: seconds } }),
    );
    throw wait.locked
      ? new SignInError("locked", `Too many failed sign-ins. Sign-in is locked for ${Math.ceil(seconds / 60)} more minute(s).`, seconds)
      : new SignInError("throttled", `Too many failed sign-ins. Wait ${seconds} second(s) and try again.`, seconds);
  }

  const user = await db().user.findUnique({ where: { email } });
  const ok = await verifyPassword(user?.passwordHash, password);
  if (ok && user && !user.disabledAt && isRole(user.role)) {
    await db().$transaction(async (tx) => {
      await tx.loginThrottle.deleteMany({ where: { key: accountKey } });
      await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
      await recordAudit(tx, actorFor(user.id), { action: "auth.login", target: { type: "user", id: user.id } });
    });
    return { id: user.id, email: user.email, name: user.name, role: user.role };
  }

  const reason = !user ? "unknown_account" : user.disabledAt ? "disabled" : !user.passwordHash ? "invite_pending" : "wrong_password";
  const accountFailures = fresh(account, now) + 1;
  const addressFailures = fresh(address, now) + 1;
  const lockAccount = accountFailures >= THROTTLE.accountLockAfter;
  const lockAddress = addressFailures >= THROTTLE.addressLockAfter;
  const lockedUntil = new Date(now.getTime() + THROTTLE.lockMs);
  await db().$transaction(async (tx) => {
    const keys: [string, number, boolean][] = [[accountKey, accountFailures, lockAccount]];
    if (addressKey) keys.push([addressKey, addressFailures, lockAddress]);
    for (const [key, failures, lock] of keys) {
      await tx.loginThrottle.upsert({
        where: { key },
        create: { key, failures, lastFailureAt: now, lockedUntil: lock ? lockedUntil : null },
        update: { failures, lastFailureAt: now, lockedUntil: lock ? lockedUntil : null },
      });
    }
    await recordAudit(tx, actorFor(user?.id), {
      action: "auth.login_failed",
      target: user ? { type: "user", id: user.id } : undefined,
      after: { reason, accountFailures, addressFailures },
    });
    if (lockAccount || lockAddress) {
      await recordAudit(tx, actorFor(user?.id), {
        action: "auth.lockout",
        after: { scope: lockAccount ? "account" : "address", until: lockedUntil.toISOString() },
      });
    }
  });
  if (lockAccount || lockAddress) {
    throw new SignInError("locked", "Too many failed sign-ins. Sign-in is locked for 15 minutes.", THROTTLE.lockMs / 1000);
  }
  throw new SignInError("invalid_credentials", "Email or password is incorrect.");
}

/**
 * Lifts an account's sign-in lock and failure count (operator CLI: an admin
 * locked out of the console). Locks on client addresses end by themselves.
 * Answers whether there was anything to clear.
 */
export async function clearLoginThrottle(actor: Actor, emailInput: string): Promise<boolean> {
  requirePlatformRole(actor, "admin");
  const email = emailInput.trim().toLowerCase();
  return db().$transaction(async (tx) => {
    const { count } = await tx.loginThrottle.deleteMany({ where: { key: `account:${email}` } });
    const user = await tx.user.findUnique({ where: { email } });
    await recordAudit(tx, actor, { action: "auth.unlock", target: user ? { type: "user", id: user.id } : undefined, after: { email, cleared: count > 0 } });
    return count > 0;
  });
}
