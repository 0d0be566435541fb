import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createClient } from "@libsql/client";
import { expect, test } from "@playwright/test";
import { E2E } from "../fixtures/env";
import { e2eDataDir, SECRETS_SEEN_FILE } from "../fixtures/secrets-seen";
import { addSecret, collectSecrets, scanExchanges, scanText, type Finding, type KnownSecret, type RecordedExchange } from "../../scripts/lib/secret-scan.mjs";

// Runs last (the secrets-scan project depends on every other spec): everything
// the server answered during this run (recorded by the proxy in front of it,
// scripts/lib/recording-proxy.mjs), its log, and a dump of every table of its
// database are scanned for private key material and for the secrets the run
// sent or was shown. A secret may appear only in the one answer that reveals
// it by design; what the database keeps of secrets (hashes, sealed values)
// appears in no answer and no log line.

function readJsonl<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

function report(findings: Finding[]): string {
  const shown = findings.slice(0, 40).map((f) => `  ${f.location}: ${f.what}`);
  return `${findings.length} finding(s):\n${shown.join("\n")}${findings.length > shown.length ? `\n  … and ${findings.length - shown.length} more` : ""}`;
}

test("no private key material and no secret of the run in any answer, log line, audit event or database cell", async () => {
  test.setTimeout(300_000);
  const dataDir = e2eDataDir();
  const traffic = readJsonl<RecordedExchange>(path.join(dataDir, "traffic.jsonl"));
  // The admin's sign-in (the setup project) at least went through the proxy.
  expect(traffic.length, `no recorded traffic in ${dataDir}`).toBeGreaterThan(0);
  expect(traffic.some((e) => e.url.startsWith("/api/auth/callback/credentials"))).toBe(true);

  const named = [
    { kind: "bootstrap admin password", value: E2E.adminPassword, origin: "e2e/fixtures/env.ts" },
    { kind: "bootstrap API token", value: E2E.apiToken, origin: "e2e/fixtures/env.ts" },
    ...readJsonl<{ kind: string; value: string; origin: string }>(path.join(dataDir, SECRETS_SEEN_FILE)),
  ];
  const secrets = collectSecrets(traffic, named, "traffic.jsonl");
  const findings: Finding[] = scanExchanges(traffic, secrets, "traffic.jsonl");
  // A body the scan could not read is a blind spot, not a pass.
  traffic.forEach((e, i) => {
    const unread = e as RecordedExchange & { decodeError?: string };
    if (unread.decodeError && unread.body == null) findings.push({ location: `traffic.jsonl#${i + 1} ${e.method} ${e.url} (${e.status}) body`, what: `could not be decoded: ${unread.decodeError}` });
  });

  const log = readFileSync(path.join(dataDir, "server.log"), "utf8").split("\n");
  log.forEach((line, i) => findings.push(...scanText(`server.log:${i + 1}`, line, secrets.values())));

  const db = createClient({ url: `file:${path.join(dataDir, "keyward.db")}` });
  try {
    const tables = (await db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")).rows.map((r) => String(r.name));
    expect(tables).toEqual(expect.arrayContaining(["AuditEvent", "SigningKey", "Client", "User", "ApiToken", "Directory", "IdentityProvider", "Setting"]));
    let cells = 0;
    for (const table of tables) {
      const result = await db.execute(`SELECT * FROM "${table}"`);
      result.rows.forEach((row, i) => {
        const id = String(row.id ?? row.key ?? i + 1);
        for (const column of result.columns) {
          const value = row[column];
          if (typeof value !== "string") continue;
          cells++;
          findings.push(...scanText(`database ${table}.${column} (row ${id})`, value, secrets.values()));
        }
      });
    }
    // What only the server may hold (secret hashes, sealed values) must not leave it either.
    const serverOnly = new Map<string, KnownSecret>();
    for (const table of tables) {
      const result = await db.execute(`SELECT * FROM "${table}"`);
      for (const row of result.rows) {
        for (const column of result.columns) {
          const value = row[column];
          const sealedSetting = table === "Setting" && column === "value" && typeof value === "string" && /^v\d+\.[0-9a-f]{16}\./.test(value);
          if (typeof value === "string" && (/(Hash|Sealed)$/.test(column) || sealedSetting)) {
            addSecret(serverOnly, `stored ${table}.${column}`, value, `the database (${table} ${String(row.id ?? row.key)})`);
          }
        }
      }
    }
    expect(serverOnly.size).toBeGreaterThan(0);
    findings.push(...scanExchanges(traffic, serverOnly, "traffic.jsonl"));
    log.forEach((line, i) => findings.push(...scanText(`server.log:${i + 1}`, line, serverOnly.values())));

    const audit = await db.execute("SELECT COUNT(*) AS n FROM AuditEvent");
    expect(Number(audit.rows[0]?.n)).toBeGreaterThan(0);
    expect(cells).toBeGreaterThan(0);
  } finally {
    db.close();
  }

  test.info().annotations.push({
    type: "scanned",
    description: `${traffic.length} answers, ${log.length} log lines, the database; ${secrets.size} known secrets (${[...new Set([...secrets.values()].map((s) => s.kind))].join(", ")})`,
  });
  expect(findings, report(findings)).toEqual([]);
});
