import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { authOptions } from "@/lib/auth/next-auth-options";
import { isRole, type Actor } from "@/lib/auth/roles";
import { clientMetaFromHeaders } from "@/lib/request-meta";

/**
 * The signed-in user as an Actor, or null. Reloads the account on every call so
 * that disabling a user, changing a role or resetting a password (which ends
 * sessions started before it) takes effect on the next request.
 */
export async function sessionActor(): Promise<Actor | null> {
  const session = (await getServerSession(authOptions())) as { uid?: unknown; authAt?: unknown } | null;
  const uid = typeof session?.uid === "string" ? session.uid : undefined;
  if (!uid) return null;
  const user = await db().user.findUnique({ where: { id: uid }, include: { tenants: { select: { tenant: { select: { slug: true } } } } } });
  if (!user || user.disabledAt || !user.passwordHash || !isRole(user.role)) return null;
  const authAt = typeof session?.authAt === "number" ? session.authAt : 0;
  if (authAt * 1000 < user.passwordChangedAt.getTime() - 1000) return null;
  const h = await headers();
  return {
    type: "user",
    id: user.id,
    label: user.email,
    role: user.role,
    ...(user.allTenants ? {} : { tenants: user.tenants.map((t) => t.tenant.slug) }),
    ...clientMetaFromHeaders((n) => h.get(n)),
  };
}

/** For pages: the actor, or a redirect to the sign-in page. */
export async function requirePageActor(): Promise<Actor> {
  const actor = await sessionActor();
  if (!actor) redirect("/login");
  return actor;
}

/** For server actions: the actor, or a 401 error. */
export async function requireActionActor(): Promise<Actor> {
  const actor = await sessionActor();
  if (!actor) throw new AppError("unauthenticated", "your session has ended; sign in again");
  return actor;
}
