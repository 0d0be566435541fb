import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-event";
import { SignInError, signInWithPassword } from "@/lib/auth/sign-in";
import { clientMetaFromHeaders } from "@/lib/request-meta";

function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const v = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * next-auth for the console: email + password, JWT sessions that expire after
 * KEYWARD_SESSION_MAX_AGE_SECONDS. The JWT only names the user; every request
 * reloads the account (lib/auth/session.ts), so a disabled user or a changed role
 * takes effect at once.
 */
export function authOptions(): NextAuthOptions {
  const e = env();
  return {
    secret: e.authSecret,
    session: { strategy: "jwt", maxAge: e.sessionMaxAgeSeconds, updateAge: 300 },
    jwt: { maxAge: e.sessionMaxAgeSeconds },
    useSecureCookies: e.secureCookies,
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          const meta = clientMetaFromHeaders((name) => header(req?.headers, name));
          try {
            const user = await signInWithPassword(credentials?.email ?? "", credentials?.password ?? "", meta);
            return { id: user.id, email: user.email, name: user.name };
          } catch (error) {
            // The message reaches the login form (next-auth passes it as `error`).
            if (error instanceof SignInError) throw new Error(error.message);
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.authAt = Math.floor(Date.now() / 1000);
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, uid: token.uid, authAt: token.authAt } as typeof session;
      },
    },
    events: {
      async signOut({ token }) {
        const uid = typeof token?.uid === "string" ? token.uid : undefined;
        if (!uid) return;
        const user = await db().user.findUnique({ where: { id: uid } });
        await db().$transaction((tx) =>
          recordAudit(tx, { type: "user", id: uid, label: user?.email ?? uid, role: "viewer" }, { action: "auth.logout", target: { type: "user", id: uid } }),
        );
      },
    },
  };
}
