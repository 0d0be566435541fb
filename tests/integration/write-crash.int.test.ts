// Crash safety of the writes that carry the most at once: a tenant
// configuration import (a dozen new keys and a setting, one request), a PEM
// key import, and a Dynamic Client Registration. A child process runs them in
// a loop (write-crash-child.ts, through the services the API and the
// protocol router call) and is SIGKILLed at varying moments, some aimed a few
// milliseconds into an operation. After each kill, what the database holds
// must be all or nothing per request: an import's keys all there with its
// audit event or none of them, every key and client with its audit event and
// every audit event with its key or client, a registered client with its
// registration token; private keys whole; the tenant's JWKS valid. Then a new
// child starts on that state, as a restarted server would.
//
// The database is a fresh one of the run's kind (SQLite file or PostgreSQL).
// KEYWARD_LONG_TESTS=1 runs more rounds.

import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { exportJWK, type JSONWebKeySet } from "jose";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { jwksSnapshot } from "@/lib/protocol/jwks";
import { invalidateAll } from "@/lib/protocol/published-state";
import { rotateNow } from "@/lib/rotation/rotate";
import { createDirectory } from "@/lib/directories/directories";
import { createTenant } from "@/lib/tenants/tenants";
import { startTestJwksServer } from "@/lib/jwks-fetch/test-jwks-server";
import { ADMIN, uniq, withFreshDatabase } from "@/tests/integration/helpers";
import { checkWriteInvariants } from "@/tests/integration/write-invariants";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CHILD = "tests/integration/write-crash-child.ts";
const LONG = process.env.KEYWARD_LONG_TESTS === "1";
const ROUNDS = LONG ? 18 : 7;
const OPS = ["config", "pem", "dcr"] as const;
/** How long the child runs before an unaimed kill. */
const RUN_MS = { min: 1_000, max: 3_500 };

interface Child {
  process: ChildProcess;
  lines: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  nextStart(op: RegExp): Promise<string>;
  /** Resolves when the child next begins ("begin") or commits ("commit") a transaction. */
  next(event: "begin" | "commit"): Promise<void>;
  go(): void;
  /** Resolves once the child is connected and waits for go; rejects if it dies first. */
  ready: Promise<void>;
}

function startChild(setupFile: string, tag: string, databaseUrl: string): Child {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, setupFile, tag], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "error" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiting: { op: RegExp; resolve: (line: string) => void }[] = [];
  const events: { event: string; resolve: () => void }[] = [];
  let pending = "";
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    child.once("exit", (code, signal) => reject(new Error(`the child exited (${signal ?? code}) before it was ready:\n${stderr.join("")}`)));
  });
  ready.catch(() => {});
  child.stdout!.on("data", (chunk: Buffer) => {
    pending += chunk.toString("utf8");
    const parts = pending.split("\n");
    pending = parts.pop()!;
    for (const line of parts) {
      if (line === "ready") onReady();
      if (line.startsWith("~ ")) for (const w of events.splice(0)) (line === `~ ${w.event}` ? w.resolve() : events.push(w));
      if (!/^(> )?\d+ /.test(line)) continue;
      lines.push(line);
      if (line.startsWith("> ")) for (const w of waiting.splice(0)) (w.op.test(line) ? w.resolve(line) : waiting.push(w));
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return {
    process: child,
    lines,
    stderr,
    exited,
    nextStart: (op) => new Promise<string>((resolve) => waiting.push({ op, resolve })),
    next: (event) => new Promise<void>((resolve) => events.push({ event, resolve })),
    go: () => void child.stdin!.write("go\n"),
    ready,
  };
}

/** Every invariant that must hold however the child stopped, and the JWKS a relying party gets. */
async function checkInvariants(slug: string, where: string) {
  const held = await checkWriteInvariants(db(), env().kek, slug, where);
  // What a relying party gets: a JWKS built afresh, with every published key.
  invalidateAll();
  const snap = await jwksSnapshot(slug);
  expect(snap.status, where).toBe(200);
  const jwks = JSON.parse(snap.body.toString("utf8")) as JSONWebKeySet;
  expect(jwks.keys.map((k) => k.kid).sort(), `${where}: the JWKS`).toEqual([...held.published].sort());
  for (const k of jwks.keys) expect(Object.keys(k).filter((m) => ["d", "p", "q", "dp", "dq", "qi"].includes(m)), `${where}: private members in ${k.kid}`).toEqual([]);
  return held;
}

describe("imports and registrations survive being killed at any moment", () => {
  it(`are all or nothing across ${ROUNDS} SIGKILLs of a process importing and registering in a loop`, { timeout: LONG ? 300_000 : 110_000 }, async () => {
    const [directory, tpp] = await Promise.all([startTestJwksServer({ alg: "PS256", host: "127.0.0.2" }), startTestJwksServer({ alg: "PS256", host: "127.0.0.2" })]);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-write-crash-"));
    try {
      await withFreshDatabase(async (url) => {
        const slug = uniq("wcrash").replace(/[^a-z0-9-]/g, "").slice(0, 40);
        await createTenant(ADMIN, { slug, name: "Write crash drill", profile: "generic" });
        await rotateNow(ADMIN, slug);
        await createDirectory(ADMIN, slug, { kind: "external", name: "Open Banking sandbox", issuer: "OpenBanking Ltd", environment: "sandbox", jwksUri: directory.jwksUrl });
        const setupFile = path.join(tmp, "setup.json");
        fs.writeFileSync(
          setupFile,
          JSON.stringify({
            slug,
            issuer: `${env().publicUrl}/${slug}`,
            directoryJwk: await exportJWK(directory.keys[0]!.privateKey),
            tppJwk: await exportJWK(tpp.keys[0]!.privateKey),
            tppJwksUrl: tpp.jwksUrl,
            ssaKid: directory.keys[0]!.kid,
            tppKid: tpp.keys[0]!.kid,
          }),
          { mode: 0o600 },
        );
        await checkInvariants(slug, "before the drill");

        const outcomes: string[] = [];
        const interrupted: string[] = [];
        const spawned: Child[] = [];
        try {
          let next = startChild(setupFile, "c1", url);
          spawned.push(next);
          for (let round = 1; round <= ROUNDS; round++) {
            const child = next;
            await child.ready;
            child.go();
            // The next child loads its modules while this one runs.
            if (round < ROUNDS) spawned.push((next = startChild(setupFile, `c${round + 1}`, url)));
            // The first round's kill falls where the timer ends; the others are
            // aimed at one kind of write in turn: either the moment its
            // transaction commits, or a few ms into the transaction.
            const aimed = round === 1 ? null : OPS[round % OPS.length]!;
            const atCommit = round % 2 === 0;
            await new Promise((r) => setTimeout(r, RUN_MS.min + ((round * 397) % (RUN_MS.max - RUN_MS.min))));
            if (aimed) {
              await Promise.race([child.nextStart(new RegExp(` ${aimed} `)), child.exited]);
              if (atCommit) await Promise.race([child.next("commit"), child.exited]);
              else {
                await Promise.race([child.next("begin"), child.exited]);
                await new Promise((r) => setTimeout(r, (round * 7) % 25));
              }
            }
            child.process.kill("SIGKILL");
            const exit = await child.exited;
            expect(exit.signal, `the child stopped by itself:\n${child.stderr.join("")}`).toBe("SIGKILL");
            outcomes.push(...child.lines.filter((l) => !l.startsWith("> ")));
            const last = child.lines.at(-1) ?? "";
            if (last.startsWith("> ")) interrupted.push(last.slice(2));
            await checkInvariants(slug, `after kill ${round}${aimed ? ` (aimed at ${aimed}, ${atCommit ? "as its transaction commits" : "into its transaction"})` : ""}`);
          }
        } finally {
          for (const c of spawned) c.process.kill("SIGKILL");
          await Promise.all(spawned.map((c) => c.exited));
        }

        const errors = outcomes.filter((l) => / error /.test(l));
        expect(errors.length, `${errors.length} operations failed unexpectedly:\n${errors.slice(0, 5).join("\n")}`).toBe(0);
        const final = await checkInvariants(slug, "at the end");
        // The drill did drill: every kind of write completed at least once and some were cut short.
        for (const op of OPS) expect(outcomes.some((l) => new RegExp(`^\\d+ ${op} `).test(l)), `a completed ${op}`).toBe(true);
        expect(interrupted.length, "kills that landed inside an operation").toBeGreaterThanOrEqual(Math.floor(ROUNDS / 2));
        console.log(
          `[write-crash] ${outcomes.length} writes completed over ${ROUNDS} kills; cut short: ${interrupted.join(", ") || "none"}; the tenant holds ${final.keys} keys (${final.imports} imports) and ${final.clients} registered clients`,
        );
      });
    } finally {
      await Promise.all([directory.close(), tpp.close()]);
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
