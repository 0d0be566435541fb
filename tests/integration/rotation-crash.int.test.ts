// Crash safety of key rotation: two child processes rotate one tenant's keys
// in a tight loop at once (rotate now, scheduler ticks, forced activations;
// see rotation-crash-child.ts), as the schedulers of two instances, or a
// server and `keyward rotate-tick` from cron, would, and are SIGKILLed at
// random moments. After each round of kills, what survived in the database
// must be a state the product could be in: one signing key, private keys
// exactly where they are needed, no dangling plan, a JWKS that verifies what
// the active key signs, an audit record for every activation. Then children
// are started again on that state and go on. All the while, this process
// keeps signing and publishing from the same database, as a server does.
//
// The database is a fresh one of the run's kind (SQLite file or PostgreSQL),
// shared by this process and the children: on SQLite all open the same file.

import { spawn, type ChildProcess } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { describe, expect, it } from "vitest";
import { unsealToString } from "@/lib/crypto/seal";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { addSigningKey } from "@/lib/keys/add-key";
import { activateSigningKey } from "@/lib/keys/activate-key";
import { signingKeyAad } from "@/lib/keys/key-row";
import { signForTenant } from "@/lib/keys/sign";
import { jwksSnapshot } from "@/lib/protocol/jwks";
import { invalidateAll } from "@/lib/protocol/published-state";
import { updateRotationPolicy } from "@/lib/rotation/policy";
import { createTenant } from "@/lib/tenants/tenants";
import { ADMIN, uniq, withFreshDatabase } from "@/tests/integration/helpers";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CHILD = "tests/integration/rotation-crash-child.ts";
const ROUNDS = 5;
/** Rotating at once, as the scheduler of two instances, or a server and `keyward rotate-tick` from cron. */
const CHILDREN = 2;
/** The child runs this long (after its first operation) before the kill. */
const RUN_MS = { min: 500, max: 2_000 };

interface Child {
  process: ChildProcess;
  /** "> n op" when an operation starts, "n op outcome" when it ends. */
  lines: string[];
  stderr: string[];
  /** Resolves with the first operation's line, rejects if the child dies first. */
  started: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the child announces the next operation matching `op`. */
  nextStart(op: RegExp): Promise<void>;
  /** Lets the child begin its loop (it loads its modules first, then waits for this). */
  go(): void;
}

function startChild(slug: string, databaseUrl: string): Child {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, slug], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "error" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  let pending = "";
  let onFirst: () => void = () => {};
  const waiting: { op: RegExp; resolve: () => void }[] = [];
  const started = new Promise<void>((resolve, reject) => {
    onFirst = resolve;
    child.once("exit", (code, signal) => reject(new Error(`the child exited (${signal ?? code}) before its first operation:\n${stderr.join("")}`)));
  });
  child.stdout!.on("data", (chunk: Buffer) => {
    pending += chunk.toString("utf8");
    const parts = pending.split("\n");
    pending = parts.pop()!;
    for (const line of parts) {
      if (!/^(> )?\d+ /.test(line)) continue;
      lines.push(line);
      if (line.startsWith("> ")) {
        for (const w of waiting.splice(0).filter((x) => !x.op.test(line) || (x.resolve(), false))) waiting.push(w);
      } else {
        onFirst();
      }
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const nextStart = (op: RegExp) => new Promise<void>((resolve) => waiting.push({ op, resolve }));
  // Never unhandled: awaited by whoever runs the child, if anyone does.
  started.catch(() => {});
  const go = () => void child.stdin!.write("go\n");
  return { process: child, lines, stderr, started, exited, nextStart, go };
}

/** Every invariant that must hold whenever the child stops, however it stops. */
async function checkInvariants(slug: string, round: number) {
  const where = `after kill ${round}`;
  const tenant = await db().tenant.findUniqueOrThrow({ where: { slug } });
  const keys = await db().signingKey.findMany({ where: { tenantId: tenant.id } });

  const active = keys.filter((k) => k.state === "active");
  expect(active.length, `${where}: active keys ${active.map((k) => k.kid).join(", ")}`).toBe(keys.some((k) => k.activatedAt !== null) ? 1 : 0);
  const signing = active[0]!;

  for (const k of keys) {
    const label = `${where}: ${k.state} key ${k.kid}`;
    if (["staged", "active", "retired"].includes(k.state)) {
      expect(k.privateKeySealed, `${label} lost its private key`).not.toBeNull();
      // Whole, and sealed under this KEK for this key.
      const pem = unsealToString(k.privateKeySealed!, env().kek, signingKeyAad(k.tenantId, k.kid));
      expect(createPrivateKey(pem).asymmetricKeyType, label).toBe("ec");
    } else expect(["removed", "revoked"], label).toContain(k.state);
    if (k.state === "removed" || k.state === "revoked") expect(k.privateKeySealed, `${label} kept its private key`).toBeNull();
    if (k.activatesAt !== null) expect(k.state, `${label} has a planned activation`).toBe("staged");
    if (k.state === "active") expect(k.activatedAt, label).not.toBeNull();
    if (k.state === "retired") {
      expect(k.retiredAt, `${label} without retiredAt`).not.toBeNull();
      expect(k.removesAt, `${label} without a planned removal`).not.toBeNull();
    }
    if (k.state === "removed") expect(k.removedAt, `${label} without removedAt`).not.toBeNull();
  }
  expect(keys.filter((k) => k.state === "staged" && k.activatesAt !== null).length, `${where}: rotations under way`).toBeLessThanOrEqual(1);

  // What a relying party gets: the JWKS (built afresh from the database, as
  // another instance would) holds the active key, which can still sign.
  invalidateAll();
  const snap = await jwksSnapshot(slug);
  expect(snap.status, where).toBe(200);
  const jwks = JSON.parse(snap.body.toString("utf8")) as JSONWebKeySet;
  const published = keys.filter((k) => ["staged", "active", "retired"].includes(k.state)).map((k) => k.kid);
  expect(jwks.keys.map((k) => k.kid).sort(), `${where}: the JWKS`).toEqual([...published].sort());
  expect(jwks.keys[0]?.kid, `${where}: the JWKS leads with the signing key`).toBe(signing.kid);
  const { jwt, kid } = await signForTenant(slug, { iss: "crash-drill", sub: "s", exp: Math.floor(Date.now() / 1000) + 60 });
  expect(kid, where).toBe(signing.kid);
  await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: "crash-drill" });

  // Every activation that happened is in the audit log (it commits with it).
  const audited = await db().auditEvent.findMany({ where: { tenantSlug: slug, action: "key.activate" }, select: { targetId: true } });
  const auditedKids = new Set(audited.map((a) => a.targetId));
  const unaudited = keys.filter((k) => k.activatedAt !== null && !auditedKids.has(k.kid)).map((k) => k.kid);
  expect(unaudited, `${where}: activated without a key.activate audit event`).toEqual([]);
  expect(audited.length, `${where}: activations audited more often than keys were activated`).toBe(keys.filter((k) => k.activatedAt !== null).length);
  return { keys: keys.length, active: signing.kid };
}

/**
 * Lets the child run for a random while, then SIGKILLs it: whenever the timer
 * ends, or (aimed) a few ms into the next operation that may write, a
 * rotation or a forced activation.
 */
async function runUntilKilled(child: Child, aimed: boolean): Promise<void> {
  await new Promise((r) => setTimeout(r, RUN_MS.min + Math.random() * (RUN_MS.max - RUN_MS.min)));
  if (aimed) {
    await Promise.race([child.nextStart(/ (rotate|force)$/), child.exited]);
    await new Promise((r) => setTimeout(r, Math.random() * 8));
  }
  child.process.kill("SIGKILL");
  const exit = await child.exited;
  if (exit.signal !== "SIGKILL") throw new Error(`a child stopped by itself (${exit.code}):\n${child.stderr.join("")}`);
}

/**
 * Meanwhile this process does what a server on the same database does: signs
 * a token with the active key, then builds the JWKS afresh from the database
 * (as another instance would, or this one after the poll interval) and
 * verifies the token with it. Every failure is collected.
 */
async function serveWhile(slug: string, running: () => boolean, failures: string[]): Promise<number> {
  let served = 0;
  while (running()) {
    try {
      invalidateAll();
      const { jwt, kid } = await signForTenant(slug, { iss: "crash-drill", sub: "s", exp: Math.floor(Date.now() / 1000) + 60 });
      invalidateAll();
      const snap = await jwksSnapshot(slug);
      if (snap.status !== 200) throw new Error(`the JWKS answered ${snap.status}: ${snap.body.toString("utf8")}`);
      const jwks = JSON.parse(snap.body.toString("utf8")) as JSONWebKeySet;
      if (jwks.keys.length === 0) throw new Error("the JWKS is empty");
      await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: "crash-drill" }).catch((error: unknown) => {
        throw new Error(`a token signed by ${kid} does not verify with the JWKS built after it (${jwks.keys.map((k) => k.kid).join(", ")}): ${(error as Error).message}`);
      });
      served++;
    } catch (error) {
      failures.push((error as Error).message.split("\n").slice(-3).join(" | "));
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return served;
}

describe("key rotation survives being killed at any moment", () => {
  it(`keeps every invariant across ${ROUNDS} rounds of SIGKILLs of ${CHILDREN} processes rotating in a tight loop`, { timeout: 180_000 }, async () => {
    await withFreshDatabase(async (url) => {
      const slug = uniq("crash").replace(/[^a-z0-9-]/g, "").slice(0, 40);
      await createTenant(ADMIN, { slug, name: "Crash drill", profile: "generic" });
      await updateRotationPolicy(ADMIN, slug, {
        jwksMaxAgeSeconds: 1,
        propagationSeconds: 1,
        retentionSeconds: 2,
        rotationIntervalSeconds: 2,
        accessTokenTtlSeconds: 1,
        // ES256: generating is quick, so the loop turns many keys over.
        algorithm: "ES256",
      });
      const first = await addSigningKey(ADMIN, slug, { source: "generate", alg: "ES256" });
      await activateSigningKey(ADMIN, slug, first.kid);
      await checkInvariants(slug, 0);

      const outcomes: string[] = [];
      /** The operations a kill cut short. */
      const interrupted: string[] = [];
      const serveFailures: string[] = [];
      let served = 0;
      const spawned: Child[] = [];
      const spawnChildren = () => {
        const children = Array.from({ length: CHILDREN }, () => startChild(slug, url));
        spawned.push(...children);
        return children;
      };
      try {
        let next = spawnChildren();
        for (let round = 1; round <= ROUNDS; round++) {
          const children = next;
          let childrenRunning = true;
          const serving = serveWhile(slug, () => childrenRunning, serveFailures);
          try {
            for (const child of children) child.go();
            await Promise.all(children.map((c) => c.started));
            // The next round's children load while these run.
            if (round < ROUNDS) next = spawnChildren();
            // Each child is aimed into a write every other round, the two in turn.
            const runs = await Promise.allSettled(children.map((child, i) => runUntilKilled(child, (round + i) % 2 === 0)));
            for (const run of runs) if (run.status === "rejected") throw run.reason;
          } finally {
            for (const child of children) child.process.kill("SIGKILL");
            childrenRunning = false;
            served += await serving;
          }
          for (const child of children) {
            outcomes.push(...child.lines.filter((l) => !l.startsWith("> ")));
            const last = child.lines.at(-1) ?? "";
            if (last.startsWith("> ")) interrupted.push(last.slice(2));
          }
          await checkInvariants(slug, round);
        }
      } finally {
        for (const child of spawned) child.process.kill("SIGKILL");
        await Promise.all(spawned.map((c) => c.exited));
      }

      // Serving went on throughout, whatever the children were doing or left behind.
      expect(serveFailures.slice(0, 5), `${serveFailures.length} of ${served + serveFailures.length} sign-and-verify rounds failed while the children ran`).toEqual([]);
      expect(served).toBeGreaterThan(ROUNDS * 10);

      // The drill did drill: keys went through every kind of transition.
      const errors = outcomes.filter((l) => / error /.test(l));
      expect(errors.slice(0, 5), `${errors.length} operations failed unexpectedly`).toEqual([]);
      const tenant = await db().tenant.findUniqueOrThrow({ where: { slug } });
      const audit = await db().auditEvent.findMany({ where: { tenantSlug: slug, action: { in: ["key.activate", "key.remove", "key.rotate"] } } });
      const byActor = (action: string, actorType: string) => audit.filter((e) => e.action === action && e.actorType === actorType).length;
      expect(byActor("key.rotate", "cli"), "rotations by the drill").toBeGreaterThanOrEqual(3);
      expect(byActor("key.activate", "cli"), "forced activations").toBeGreaterThanOrEqual(1);
      expect(byActor("key.activate", "system"), "activations by the scheduler").toBeGreaterThanOrEqual(1);
      expect(byActor("key.remove", "system"), "removals by the scheduler").toBeGreaterThanOrEqual(1);
      expect(await db().signingKey.count({ where: { tenantId: tenant.id } })).toBeGreaterThanOrEqual(4);
      console.log(
        `[rotation-crash] ${outcomes.length} operations by ${CHILDREN} processes over ${ROUNDS} rounds; ${audit.length} key transitions audited; ${served} tokens signed and verified meanwhile; kills cut short: ${interrupted.join(", ") || "none"}`,
      );
    });
  });
});
