// What a crash may leave behind after configuration imports, key imports and
// registrations: all or nothing per request. Shared by the drill that kills
// a process writing through the services (tests/integration/write-crash) and
// the one that kills a real server mid-request (tests/multi-instance/server-crash).
//
// Naming contract with the writers: an import's keys have kids
// "<batch>-config-<i>", keysPerImport of them, and set the tenant's name
// to "Crash <batch>-config"; the tenant's only clients are registered by DCR.

import { createPrivateKey } from "node:crypto";
import { expect } from "vitest";
import { unsealToString } from "@/lib/crypto/seal";
import type { Db } from "@/lib/db";
import { signingKeyAad } from "@/lib/keys/key-row";

/** The keys in each import unless the writer says otherwise. */
export const KEYS_PER_IMPORT = 12;
const BATCH_KID = /^(.+-config)-\d+$/;
const BATCH_IN_AUDIT = /"kid":"([^"]+-config)-0"/;

/** Checks every invariant; answers the kids the tenant publishes (tenant-wide) and what it holds. */
export async function checkWriteInvariants(client: Db, kek: Buffer, slug: string, where: string, keysPerImport = KEYS_PER_IMPORT) {
  const tenant = await client.tenant.findUniqueOrThrow({ where: { slug } });
  const keys = await client.signingKey.findMany({ where: { tenantId: tenant.id } });
  const audit = await client.auditEvent.findMany({ where: { tenantSlug: slug } });
  const auditOf = (action: string) => audit.filter((e) => e.action === action);

  // Configuration imports: every key of one import, or none.
  const batches = new Map<string, number>();
  for (const k of keys) {
    const m = BATCH_KID.exec(k.kid);
    if (m) batches.set(m[1]!, (batches.get(m[1]!) ?? 0) + 1);
  }
  for (const [batch, count] of batches) expect(count, `${where}: keys of import ${batch}`).toBe(keysPerImport);
  const importEvents = auditOf("tenant.config_import");
  expect(importEvents.length, `${where}: one tenant.config_import event per applied import`).toBe(batches.size);
  for (const e of importEvents) {
    const batch = BATCH_IN_AUDIT.exec(String(e.after ?? ""))?.[1];
    expect(batch && batches.has(batch), `${where}: config_import event ${e.id} names keys that exist (${String(e.after).slice(0, 400)}; batches ${[...batches.keys()].join(", ")})`).toBe(true);
  }
  // The tenant's name is the one the last applied import set (it commits with the keys).
  const lastBatch = importEvents.sort((a, b) => a.at.getTime() - b.at.getTime()).at(-1);
  if (lastBatch) expect(tenant.name, `${where}: the tenant's name`).toBe(`Crash ${BATCH_IN_AUDIT.exec(String(lastBatch.after ?? ""))![1]}`);

  // Every key with its audit event, every key.create event with its key; private keys whole.
  const created = new Set(auditOf("key.create").map((e) => e.targetId));
  for (const k of keys) {
    expect(created.has(k.kid), `${where}: key ${k.kid} without a key.create event`).toBe(true);
    if (["staged", "active", "retired"].includes(k.state)) {
      const pem = unsealToString(k.privateKeySealed!, kek, signingKeyAad(k.tenantId, k.kid));
      expect(["ec", "rsa"], `${where}: key ${k.kid}`).toContain(createPrivateKey(pem).asymmetricKeyType);
    }
  }
  expect(auditOf("key.create").length, `${where}: key.create events without their key`).toBe(keys.length);

  // Registrations: a client with its token and its event, an event with its client.
  const clients = await client.client.findMany({ where: { tenantId: tenant.id } });
  const registered = new Set(auditOf("client.register").map((e) => e.targetId));
  for (const c of clients) {
    expect(c.registeredVia, where).toBe("dcr");
    expect(c.registrationAccessTokenHash, `${where}: client ${c.clientId} without a registration token`).toBeTruthy();
    expect(c.softwareStatement, `${where}: client ${c.clientId} without its software statement`).toBeTruthy();
    expect(registered.has(c.clientId), `${where}: client ${c.clientId} without a client.register event`).toBe(true);
  }
  expect(registered.size, `${where}: client.register events without their client`).toBe(clients.length);

  const published = keys.filter((k) => ["staged", "active", "retired"].includes(k.state) && k.appId === null).map((k) => k.kid);
  return { published, keys: keys.length, imports: batches.size, clients: clients.length };
}
