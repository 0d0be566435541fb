/**
 * The servers under test and what they hold: the main Keyward (tenant
 * "bench": three RSA 2048 keys with certificates, a client, a loopback IdP;
 * tenant "lists": 10,000 clients, and 100,000 audit events), a second Keyward
 * on an empty database (the console-list comparison), and the start timings
 * those starts give.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { adminApi, makeDataDir, startKeyward, freePort } from "./keyward.mjs";
import { startJwksServer } from "./jwks-server.mjs";
import { rsaKey, selfSignedCertificate } from "./pki.mjs";

const run = promisify(execFile);
export const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
export const TENANT = "bench";
export const LISTS_TENANT = "lists";
/** A diagnostic tenant beside the large one: exactly one console page of clients (200), same database. */
export const PAGE_TENANT = "lists-page";
export const PAGE_CLIENTS = 200;

/** Tenant "bench": three PEM keys with self-signed certificates (the first activated: it signs), rotation off, a client, the jwt-bearer IdP. */
export async function seedBenchTenant(ctx, url) {
  const api = adminApi(url);
  await api.post("/api/v1/tenants", { slug: TENANT, name: "Bench Bank", profile: "generic" });
  // Nothing may change what the tenant publishes while it is measured.
  await api.put(`/api/v1/tenants/${TENANT}/rotation-policy`, { rotationIntervalSeconds: null, autoActivate: false });
  const keys = [];
  for (let i = 0; i < 3; i++) {
    const key = rsaKey();
    const certificatePem = await selfSignedCertificate(key, `signing-${i + 1}.bench-bank.example`);
    const view = await api.post(`/api/v1/tenants/${TENANT}/keys`, { source: "pem", certificatePem, privateKeyPem: key.privateKeyPem, alg: "PS256" });
    keys.push({ ...key, kid: view.kid, state: view.state, certificatePem, publishedJwk: view.publicJwk });
  }
  // The first key signs; the other two stay staged (published, as a rollover's next keys are).
  if (keys[0].state !== "active") {
    const activated = await api.post(`/api/v1/tenants/${TENANT}/keys/${encodeURIComponent(keys[0].kid)}/activate`, {});
    if (activated.state !== "active") throw new Error(`the tenant's first key did not activate: ${activated.state}`);
    keys[0].state = "active";
  }
  const client = await api.post(`/api/v1/tenants/${TENANT}/clients`, {
    name: "Bench TPP",
    tokenEndpointAuthMethod: "client_secret_basic",
    grantTypes: ["client_credentials", JWT_BEARER],
  });
  const idp = await startJwksServer({ host: "127.0.0.2", maxAgeSeconds: 3600 });
  ctx.closers.push(() => idp.close());
  await api.post(`/api/v1/tenants/${TENANT}/identity-providers`, { name: idp.issuer, jwksUri: idp.jwksUrl, allowedAlgs: ["PS256"] });
  return { keys, activeKey: keys[0], client: { id: client.clientId, secret: client.clientSecret }, idp };
}

/**
 * Starts the main server (fresh database: the first "fresh" start), seeds it,
 * stops it, fills the lists data into its database, and starts it again on
 * the same port (a "restart" on the large database).
 */
export async function setUpMain(ctx, { bigLists }) {
  const { root, opts } = ctx;
  const dataDir = makeDataDir(ctx.tmp, "main");
  const port = await freePort();
  const fresh = await startKeyward({ root, dataDir, port, name: "main-fresh" });
  ctx.starts.fresh.push(fresh.startMs);
  ctx.log(`main Keyward: fresh start ${(fresh.startMs / 1000).toFixed(2)} s on ${fresh.url}`);
  let seeded;
  try {
    seeded = await seedBenchTenant(ctx, fresh.url);
    await adminApi(fresh.url).post("/api/v1/tenants", { slug: LISTS_TENANT, name: "Lists Bank" });
    await adminApi(fresh.url).post("/api/v1/tenants", { slug: PAGE_TENANT, name: "One Page Bank" });
  } finally {
    await fresh.stop();
  }
  let lists = null;
  if (bigLists) {
    const seed = async (tenant, clients, audit) => {
      const { stdout } = await run(process.execPath, [path.join(root, "bench/seed-lists.mjs")], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: `file:${path.join(dataDir, "keyward.db")}`, BENCH_TENANT: tenant, BENCH_CLIENTS: String(clients), BENCH_AUDIT: String(audit) },
        maxBuffer: 1 << 20,
      });
      return JSON.parse(stdout.trim().split("\n").at(-1));
    };
    lists = await seed(LISTS_TENANT, opts.clients, opts.audit);
    lists.page = await seed(PAGE_TENANT, PAGE_CLIENTS, 0);
    ctx.log(`seeded ${lists.clients} clients and ${lists.audit} audit events in ${(lists.ms / 1000).toFixed(1)} s (and ${lists.page.clients} clients in "${PAGE_TENANT}")`);
  }
  const server = await startKeyward({ root, dataDir, port, name: "main", cpuProfDir: opts.cpuProf ? ctx.profileDir : undefined });
  ctx.closers.push(() => server.stop());
  ctx.starts.restart.push(server.startMs);
  ctx.log(`main Keyward: restart ${(server.startMs / 1000).toFixed(2)} s${bigLists ? " (large database)" : ""}`);
  const tokenEndpoint = `${server.url}/${TENANT}/oauth2/token`;
  return { server, ...seeded, tokenEndpoint, issuer: `${server.url}/${TENANT}`, lists };
}

/** The comparison server of the lists benchmark: same build, an empty database with the "lists" tenant only. */
export async function setUpEmpty(ctx) {
  const dataDir = makeDataDir(ctx.tmp, "empty");
  const port = await freePort();
  const fresh = await startKeyward({ root: ctx.root, dataDir, port, name: "empty-fresh" });
  ctx.starts.fresh.push(fresh.startMs);
  try {
    await adminApi(fresh.url).post("/api/v1/tenants", { slug: LISTS_TENANT, name: "Lists Bank" });
  } finally {
    await fresh.stop();
  }
  const server = await startKeyward({ root: ctx.root, dataDir, port, name: "empty" });
  ctx.closers.push(() => server.stop());
  ctx.starts.restart.push(server.startMs);
  ctx.log(`empty Keyward: fresh ${(fresh.startMs / 1000).toFixed(2)} s, restart ${(server.startMs / 1000).toFixed(2)} s`);
  return { server };
}

/** More start samples on a throwaway data directory: one fresh start and one restart. */
export async function extraStarts(ctx, count = 1) {
  for (let i = 0; i < count; i++) {
    const dataDir = makeDataDir(ctx.tmp, "start");
    const port = await freePort();
    const first = await startKeyward({ root: ctx.root, dataDir, port, name: "start-fresh" });
    await first.stop();
    const again = await startKeyward({ root: ctx.root, dataDir, port, name: "start-restart" });
    await again.stop();
    ctx.starts.fresh.push(first.startMs);
    ctx.starts.restart.push(again.startMs);
    ctx.log(`throwaway Keyward: fresh ${(first.startMs / 1000).toFixed(2)} s, restart ${(again.startMs / 1000).toFixed(2)} s`);
  }
}
