import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { RouteSpec } from "@/lib/api/contract";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createUser } from "@/lib/auth/users";
import type { Actor, Role } from "@/lib/auth/roles";
import { disconnectDb } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { resetEnvForTests } from "@/lib/env";

/** A unique, lowercase suffix so tests never collide in the shared database. */
export function uniq(prefix = "t"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

/** An actor with a role, as the services receive it (no session needed). */
export function actorWith(role: Role, label = `${role}@it.test`): Actor {
  return { type: "user", id: `it-${role}`, label, role, ip: "127.0.0.1", requestId: uniq("req") };
}

export const ADMIN = actorWith("admin", "it-admin@keyward.test");

/** A real API token of a role, created through the service. */
export async function tokenFor(role: Role): Promise<string> {
  const created = await createApiToken(ADMIN, { name: uniq(`it-${role}`), role });
  return created.token;
}

/** A real user with a password. */
export async function userWith(role: Role) {
  const email = `${uniq(role)}@it.test`;
  const password = `pw-${randomBytes(8).toString("hex")}-Correct`;
  const user = await createUser(ADMIN, { email, name: `IT ${role}`, role, password });
  return { ...user, password };
}

/**
 * Runs `fn` against a brand-new, migrated database of the same kind as the
 * run's (a temp SQLite file, or a new database in the same PostgreSQL server),
 * for tests about first starts. Restores the shared database afterwards.
 */
export async function withFreshDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const original = process.env.DATABASE_URL!;
  let url: string;
  let cleanup: () => Promise<void>;
  if (original.startsWith("file:")) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-fresh-"));
    url = `file:${path.join(dir, "fresh.db")}`;
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `fresh_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: original });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(original);
    u.pathname = `/${name}`;
    url = u.toString();
    cleanup = async () => {
      const c = new pg.Client({ connectionString: original });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  await migrateDatabase(url);
  await disconnectDb();
  process.env.DATABASE_URL = url;
  resetEnvForTests();
  try {
    return await fn(url);
  } finally {
    await disconnectDb();
    process.env.DATABASE_URL = original;
    resetEnvForTests();
    await cleanup();
  }
}

/**
 * Moves a key's publication back in time by `seconds`, as if it had been in
 * the JWKS that long (so its propagation time has passed without waiting).
 */
export async function backdateKey(slug: string, kid: string, seconds = 3 * 86_400): Promise<void> {
  const { db } = await import("@/lib/db");
  const tenant = await db().tenant.findUniqueOrThrow({ where: { slug } });
  const key = await db().signingKey.findUniqueOrThrow({ where: { tenantId_kid: { tenantId: tenant.id, kid } } });
  await db().signingKey.update({ where: { id: key.id }, data: { createdAt: new Date(key.createdAt.getTime() - seconds * 1000) } });
}

/**
 * The public protocol endpoints on a loopback port, answered by the same
 * router as the server's (anything else: 404), for tests that speak HTTP.
 */
export async function startProtocolServer(): Promise<{ base: string; close: () => Promise<void> }> {
  const http = await import("node:http");
  const { handleProtocolRequest } = await import("@/lib/protocol/router");
  const server = http.createServer((req, res) => {
    if (!handleProtocolRequest(req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as import("node:net").AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

type RouteModule = Record<string, (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>>;

/** The route file of a contract entry: app/api/v1/…/route.ts, `{name}` as `[name]`. */
export function routeFileOf(spec: RouteSpec): string {
  const segments = spec.path.split("/").filter(Boolean).map((s) => s.replace(/^\{(.+)\}$/, "[$1]"));
  return path.join(process.cwd(), "app", ...segments, "route.ts");
}

/**
 * Calls a contract entry's real route handler as an HTTP client would: the
 * path filled from `params`, `Authorization: Bearer <token>` when a token is
 * given, `body` as JSON (no body when undefined) and an optional query string.
 */
export async function callRoute(
  spec: RouteSpec,
  params: Record<string, string>,
  options: { token?: string; body?: unknown; query?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const mod = (await import(/* @vite-ignore */ routeFileOf(spec))) as RouteModule;
  const handler = mod[spec.method];
  if (!handler) throw new Error(`${routeFileOf(spec)} does not export ${spec.method}`);
  const filled = spec.path.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(params[p]!));
  const url = `http://keyward.test${filled}${options.query ? `?${options.query}` : ""}`;
  const hasBody = options.body !== undefined && spec.method !== "GET";
  return handler(
    new Request(url, {
      method: spec.method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(hasBody ? { "content-type": "application/json" } : {}),
        ...options.headers,
      },
      body: hasBody ? JSON.stringify(options.body) : undefined,
    }),
    { params: Promise.resolve(params) },
  );
}
