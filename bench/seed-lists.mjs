/**
 * Fills a Keyward SQLite database with a large tenant for the console-list
 * benchmark: BENCH_CLIENTS clients in tenant BENCH_TENANT and BENCH_AUDIT
 * audit events, inserted with @libsql/client (the driver Keyward's Prisma
 * adapter uses) in multi-row INSERTs inside one transaction, while no server
 * runs on the database (Prisma's createMany takes ~40 s of CPU for the same
 * rows on this machine). The values are stored the way Prisma stores them:
 * uuid v7 ids made from the row's own time (so id order is time order, as
 * the list pages assume), DateTime as ISO 8601 with "+00:00". Rows look like
 * real ones: console and DCR clients (with software statements), events of
 * every kind spread over a year. Prints one JSON line for the harness.
 *
 *   DATABASE_URL=file:… BENCH_TENANT=lists node bench/seed-lists.mjs
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createClient } from "@libsql/client";

const url = process.env.DATABASE_URL;
const slug = process.env.BENCH_TENANT ?? "lists";
const clientCount = Number(process.env.BENCH_CLIENTS ?? 10_000);
const auditCount = Number(process.env.BENCH_AUDIT ?? 100_000);
const deepClients = Number(process.env.BENCH_DEEP_CLIENTS ?? Math.floor(clientCount * 0.9));
const deepAudit = Number(process.env.BENCH_DEEP_AUDIT ?? Math.floor(auditCount * 0.9));
const ROWS_PER_INSERT = 200;
const YEAR_MS = 365 * 86_400_000;

const db = createClient({ url });
const b64u = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
const pick = (list, i) => list[i % list.length];
/** Prisma's DateTime text on SQLite. */
const dateText = (ms) => new Date(ms).toISOString().replace("Z", "+00:00");

/** RFC 9562 uuid v7 for a time in ms (what Prisma's uuid(7) default makes, at that time). */
function uuid7(ms) {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function fakeSsa(i) {
  const claims = {
    iss: "OpenBanking Ltd",
    iat: 1_700_000_000 + i,
    jti: randomUUID(),
    software_environment: "sandbox",
    software_mode: "Test",
    software_id: `sw-${i.toString(36)}`,
    software_client_id: `sw-${i.toString(36)}`,
    software_client_name: `TPP app ${i}`,
    software_client_description: "Account information and payment initiation for retail customers",
    software_version: "1.2",
    software_client_uri: `https://tpp${i}.example.com`,
    software_redirect_uris: [`https://tpp${i}.example.com/callback`],
    software_roles: ["AISP", "PISP"],
    organisation_competent_authority_claims: { authority_id: "FCAGBR", registration_id: String(700_000 + i), status: "Active" },
    software_logo_uri: `https://tpp${i}.example.com/logo.png`,
    org_status: "Active",
    org_id: `0015800001${String(i).padStart(6, "0")}`,
    org_name: `Third Party Provider ${i} Ltd`,
    org_contacts: [{ name: "Technical", email: `tech@tpp${i}.example.com`, phone: "+441234567890", type: "Technical" }],
    org_jwks_endpoint: `https://keystore.openbanking.example/0015800001${i}/0015800001${i}.jwks`,
    software_jwks_endpoint: `https://keystore.openbanking.example/0015800001${i}/sw-${i}.jwks`,
    software_policy_uri: `https://tpp${i}.example.com/policy`,
    software_tos_uri: `https://tpp${i}.example.com/tos`,
  };
  return `${b64u({ alg: "PS256", kid: "directory-signing-key", typ: "JWT" })}.${b64u(claims)}.${randomBytes(256).toString("base64url")}`;
}

const clientJwks = (i) =>
  JSON.stringify({ keys: [{ kty: "RSA", kid: `tpp-${i}-sig`, use: "sig", alg: "PS256", e: "AQAB", n: randomBytes(256).toString("base64url") }] });

/** Multi-row INSERTs of `rows` (objects with the same keys) into `table`, within the open transaction. */
async function insertRows(tx, table, rows) {
  const columns = Object.keys(rows[0]);
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES `;
  const one = `(${columns.map(() => "?").join(", ")})`;
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    await tx.execute({ sql: head + chunk.map(() => one).join(", "), args: chunk.flatMap((r) => columns.map((c) => r[c])) });
  }
}

function clientRows(tenantId) {
  const start = Date.now() - YEAR_MS;
  const rows = [];
  for (let i = 0; i < clientCount; i++) {
    const dcr = i % 3 === 0;
    const pkj = dcr || i % 5 === 0;
    const created = start + Math.floor((i / clientCount) * YEAR_MS);
    rows.push({
      id: uuid7(created),
      tenantId,
      clientId: dcr ? randomUUID() : `kwc_${randomBytes(12).toString("base64url")}`,
      name: dcr ? `TPP app ${i}` : `Partner ${i} — ${pick(["accounts", "payments", "funds confirmation", "reporting"], i)}`,
      status: i % 17 === 0 ? "suspended" : "active",
      tokenEndpointAuthMethod: pkj ? "private_key_jwt" : "client_secret_basic",
      clientSecretHash: pkj ? null : createHash("sha256").update(randomBytes(32)).digest("hex"),
      jwks: pkj && !dcr ? clientJwks(i) : null,
      jwksUri: dcr ? `https://keystore.openbanking.example/0015800001${i}/sw-${i}.jwks` : null,
      grantTypes: JSON.stringify(dcr ? ["client_credentials", "authorization_code", "refresh_token"] : ["client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer"]),
      scope: pick(["accounts payments", "accounts", "payments fundsconfirmations", "openid accounts payments"], i),
      softwareId: dcr ? `sw-${i.toString(36)}` : null,
      orgId: dcr ? `0015800001${String(i).padStart(6, "0")}` : null,
      orgName: dcr ? `Third Party Provider ${i} Ltd` : null,
      roles: JSON.stringify(dcr ? ["AISP", "PISP"] : []),
      redirectUris: JSON.stringify(dcr ? [`https://tpp${i}.example.com/callback`] : []),
      responseTypes: JSON.stringify(dcr ? ["code id_token"] : []),
      applicationType: dcr ? "web" : null,
      tokenEndpointAuthSigningAlg: pkj ? "PS256" : null,
      idTokenSignedResponseAlg: dcr ? "PS256" : null,
      requestObjectSigningAlg: dcr ? "PS256" : null,
      registeredVia: dcr ? "dcr" : "console",
      softwareStatement: dcr ? fakeSsa(i) : null,
      registrationAccessTokenHash: dcr ? createHash("sha256").update(randomBytes(32)).digest("hex") : null,
      createdBy: dcr ? "dcr" : pick(["admin@bank.example", "ops@bank.example", "token:ci"], i),
      createdAt: dateText(created),
      updatedAt: dateText(created),
    });
  }
  return rows;
}

const ACTIONS = ["client.create", "client.update", "key.create", "key.activate", "key.retire", "idp.create", "idp.update", "auth.login", "auth.login_failed", "token.create", "user.update", "rotation.stage", "dcr.register"];
const ACTORS = [
  { type: "user", label: "admin@bank.example" },
  { type: "user", label: "ops@bank.example" },
  { type: "token", label: "token:ci" },
  { type: "system", label: "system" },
  { type: "client", label: "dcr" },
];

function auditRows() {
  const start = Date.now() - YEAR_MS - 86_400_000;
  const rows = [];
  for (let i = 0; i < auditCount; i++) {
    const at = start + Math.floor((i / auditCount) * YEAR_MS);
    const action = pick(ACTIONS, i * 7 + (i >> 3));
    const actor = pick(ACTORS, i * 3 + (i >> 5));
    const kind = action.split(".")[0];
    rows.push({
      id: uuid7(at),
      at: dateText(at),
      actorType: actor.type,
      actorId: actor.type === "system" ? null : randomUUID(),
      actorLabel: actor.label,
      action,
      targetType: kind === "auth" ? "user" : kind,
      targetId: kind === "client" || kind === "dcr" ? `kwc_${randomBytes(12).toString("base64url")}` : randomUUID(),
      tenantSlug: pick([slug, "bank-a", "bank-b", "default"], i),
      requestId: randomUUID(),
      ip: `10.${i % 250}.${(i >> 8) % 250}.${(i >> 16) % 250}`,
      before: i % 2 ? JSON.stringify({ name: `Partner ${i}`, status: "active", scope: "accounts", tokenEndpointAuthMethod: "client_secret_basic" }) : null,
      after: JSON.stringify({ name: `Partner ${i}`, status: i % 5 ? "active" : "suspended", scope: "accounts payments", tokenEndpointAuthMethod: "client_secret_basic", registeredVia: "console" }),
    });
  }
  return rows;
}

const started = Date.now();
await db.execute("PRAGMA busy_timeout = 10000");
const tenant = (await db.execute({ sql: `SELECT id FROM "Tenant" WHERE slug = ?`, args: [slug] })).rows[0];
if (!tenant) throw new Error(`no tenant "${slug}" in ${url}`);
const tx = await db.transaction("write");
try {
  if (clientCount > 0) await insertRows(tx, "Client", clientRows(tenant.id));
  if (auditCount > 0) await insertRows(tx, "AuditEvent", auditRows());
  await tx.commit();
} finally {
  tx.close();
}
// The rows `deep…` down the lists, newest first, as the pages order them.
const deepClient = clientCount > 0 ? (await db.execute({ sql: `SELECT id FROM "Client" WHERE "tenantId" = ? ORDER BY id DESC LIMIT 1 OFFSET ?`, args: [tenant.id, deepClients - 1] })).rows[0] : null;
const deepEvent = auditCount > 0 ? (await db.execute({ sql: `SELECT id FROM "AuditEvent" ORDER BY at DESC, id DESC LIMIT 1 OFFSET ?`, args: [deepAudit - 1] })).rows[0] : null;
const clients = Number((await db.execute({ sql: `SELECT count(*) AS n FROM "Client" WHERE "tenantId" = ?`, args: [tenant.id] })).rows[0].n);
const audit = Number((await db.execute(`SELECT count(*) AS n FROM "AuditEvent"`)).rows[0].n);
db.close();
process.stdout.write(`${JSON.stringify({ clients, audit, deepClientId: deepClient?.id ?? null, deepAuditId: deepEvent?.id ?? null, ms: Date.now() - started })}\n`);
