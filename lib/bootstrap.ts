import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Env } from "@/lib/env";
import { recordAudit } from "@/lib/audit/record-event";
import { SYSTEM_ACTOR } from "@/lib/auth/roles";
import { hashPassword } from "@/lib/auth/password";
import { ensureBootstrapToken } from "@/lib/auth/api-tokens";
import { ensureDefaultTenant } from "@/lib/tenants/tenants";
import { checkKek } from "@/lib/secrets/kek";
import { addSigningKey } from "@/lib/keys/add-key";
import { activateSigningKey } from "@/lib/keys/activate-key";
import { withStartupLock } from "@/lib/db/startup-lock";

export interface BootstrapResult {
  tenant: "created" | "exists";
  admin: { created: false } | { created: true; email: string; generatedPassword?: string };
  token: "created" | "exists" | "not-configured";
  kek: "sealed-canary" | "ok";
  signingKey: "created" | "exists" | "no-default-tenant";
}

/**
 * Gives the `default` tenant a generated, active signing key when it has no key
 * at all, so a fresh install publishes a JWKS and can sign from the start.
 */
async function ensureDefaultSigningKey(): Promise<BootstrapResult["signingKey"]> {
  const tenant = await db().tenant.findUnique({ where: { slug: "default" }, select: { id: true } });
  if (!tenant) return "no-default-tenant";
  if ((await db().signingKey.count({ where: { tenantId: tenant.id } })) > 0) return "exists";
  const key = await addSigningKey(SYSTEM_ACTOR, "default", { source: "generate" });
  await activateSigningKey(SYSTEM_ACTOR, "default", key.kid);
  return "created";
}

/**
 * First-start setup, safe to run on every start: the KEK check, the `default`
 * tenant, the first admin (only on a database with no users) and the bootstrap
 * API token (only when no token exists). A restart creates nothing twice, and
 * neither do instances starting at once on one database (they take turns).
 */
export async function bootstrap(e: Env): Promise<BootstrapResult> {
  return withStartupLock(e.databaseUrl, () => bootstrapUnlocked(e));
}

async function bootstrapUnlocked(e: Env): Promise<BootstrapResult> {
  const kek = await checkKek(e.kek);
  const tenant = await ensureDefaultTenant(SYSTEM_ACTOR);
  const signingKey = await ensureDefaultSigningKey();

  let admin: BootstrapResult["admin"] = { created: false };
  if ((await db().user.count()) > 0) {
    const token = e.bootstrapApiToken ? await ensureBootstrapToken(SYSTEM_ACTOR, e.bootstrapApiToken) : "not-configured";
    return { tenant, admin, token, kek, signingKey };
  }
  const email = e.bootstrapAdminEmail ?? "admin@localhost";
  const generatedPassword = e.bootstrapAdminPassword ? undefined : randomBytes(18).toString("base64url");
  const password = e.bootstrapAdminPassword ?? generatedPassword!;
  const passwordHash = await hashPassword(password);
  await db().$transaction(async (tx) => {
    // Re-checked here: another instance may have bootstrapped meanwhile.
    if ((await tx.user.count()) > 0) return;
    const user = await tx.user.create({ data: { email, name: "Administrator", role: "admin", passwordHash } });
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: "user.bootstrap",
      target: { type: "user", id: user.id },
      after: { email, role: "admin", passwordFrom: generatedPassword ? "generated" : "KEYWARD_BOOTSTRAP_ADMIN_PASSWORD" },
    });
    admin = { created: true, email, ...(generatedPassword ? { generatedPassword } : {}) };
  });

  const token = e.bootstrapApiToken ? await ensureBootstrapToken(SYSTEM_ACTOR, e.bootstrapApiToken) : "not-configured";
  return { tenant, admin, token, kek, signingKey };
}
