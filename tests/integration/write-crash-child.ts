// The victim of write-crash.int.test.ts: imports tenant configurations,
// imports PEM keys and registers clients through Dynamic Client Registration
// in a loop, through the same services the API and the protocol router call,
// until the test SIGKILLs it.
//
//   node --import tsx tests/integration/write-crash-child.ts <setup.json> <child-tag>
//   (then a line on stdin to start)
//
// setup.json: { slug, issuer, directoryJwk, tppJwk, tppJwksUrl, ssaKid, tppKid }.
// DATABASE_URL, KEYWARD_KEK and the rest come from the parent's environment.
// Each operation is announced on stdout as "> <n> <op> <tag>" when it starts
// and reported as "<n> <op> <tag> <outcome>" when it ends; the tag names what
// the operation writes (the kid prefix of an import's keys, a software id);
// each transaction as "~ begin" and "~ commit".

import "reflect-metadata";
import fs from "node:fs";
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";
import { X509CertificateGenerator } from "@peculiar/x509";
import type { Actor } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { addSigningKey } from "@/lib/keys/add-key";
import { importTenantConfig } from "@/lib/tenants/config-import";
import { registrationEndpoint } from "@/lib/dcr/registration-endpoint";
import { registrationClaims, ssaClaims } from "@/tests/integration/dcr-claims";

const [setupFile = "", tag = ""] = process.argv.slice(2);
if (!setupFile || !tag) {
  process.stderr.write("usage: write-crash-child.ts <setup.json> <child-tag>\n");
  process.exit(2);
}
interface Setup {
  slug: string;
  issuer: string;
  directoryJwk: JWK;
  tppJwk: JWK;
  tppJwksUrl: string;
  ssaKid: string;
  tppKid: string;
}
const setup = JSON.parse(fs.readFileSync(setupFile, "utf8")) as Setup;
const DRILL: Actor = { type: "cli", label: "write-crash-drill", role: "admin" };
/** Keys in one configuration import: a large one, so the kill lands inside it often. */
const KEYS_PER_IMPORT = 12;

async function configImport(prefix: string): Promise<string> {
  const signingKeys = [];
  for (let i = 0; i < KEYS_PER_IMPORT; i++) {
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    signingKeys.push({ jwk: await exportJWK(privateKey), kid: `${prefix}-${i}`, alg: "ES256" as const });
  }
  const result = await importTenantConfig(DRILL, setup.slug, { format: "keyward.tenant-config/v1", tenant: { name: `Crash ${prefix}` }, signingKeys });
  return `${result.changes.length} changes`;
}

async function pemImport(prefix: string): Promise<string> {
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
  const keys = await crypto.subtle.generateKey(alg, true, ["sign", "verify"]);
  const cert = await X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: `CN=${prefix}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys,
    signingAlgorithm: alg,
  });
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", keys.privateKey)).toString("base64");
  const label = ["PRIVATE", "KEY"].join(" ");
  const privateKeyPem = `-----BEGIN ${label}-----\n${pkcs8.match(/.{1,64}/g)!.join("\n")}\n-----END ${label}-----\n`;
  const key = await addSigningKey(DRILL, setup.slug, { source: "pem", certificatePem: cert.toString("pem"), privateKeyPem, kid: prefix });
  return key.kid;
}

async function register(softwareId: string): Promise<string> {
  const directoryKey = await importJWK(setup.directoryJwk, "PS256");
  const tppKey = await importJWK(setup.tppJwk, "PS256");
  const ssa = await new SignJWT(ssaClaims(softwareId, { jwksEndpoint: setup.tppJwksUrl, name: "Crash TPP" }))
    .setProtectedHeader({ alg: "PS256", kid: setup.ssaKid, typ: "JWT" })
    .sign(directoryKey);
  const request = await new SignJWT(registrationClaims(setup.issuer, softwareId, ssa))
    .setProtectedHeader({ alg: "PS256", kid: setup.tppKid, typ: "JWT" })
    .sign(tppKey);
  const answer = await registrationEndpoint(setup.slug, "POST", null, "application/jwt", request, undefined);
  if (answer.status !== 201) throw new Error(`registration answered ${answer.status}: ${answer.body.toString("utf8")}`);
  return (JSON.parse(answer.body.toString("utf8")) as { client_id: string }).client_id;
}

type Op = "config" | "pem" | "dcr";
const OPS: Op[] = ["config", "pem", "dcr"];

/**
 * Announces every transaction's start and commit ("~ begin", "~ commit"), so
 * the parent can aim a kill into a transaction or right after one commits
 * (where a write split over two transactions would be half done).
 */
function announceTransactions(): void {
  const client = db();
  const original = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
  Object.assign(client, {
    $transaction: async (...args: unknown[]) => {
      process.stdout.write("~ begin\n");
      const result = await original(...args);
      process.stdout.write("~ commit\n");
      return result;
    },
  });
}

async function main(): Promise<never> {
  announceTransactions();
  // Connected and warmed up before the parent's go, so the time it lets the
  // loop run is spent writing, not loading.
  await db().tenant.findUniqueOrThrow({ where: { slug: setup.slug } });
  await generateKeyPair("ES256");
  process.stdout.write("ready\n");
  await new Promise((resolve) => process.stdin.once("data", resolve));
  for (let n = 1; ; n++) {
    const op = OPS[(n + Number(tag.replace(/\D/g, "") || 0)) % OPS.length]!;
    const target = `${tag}-${n}-${op}`;
    process.stdout.write(`> ${n} ${op} ${target}\n`);
    let outcome: string;
    try {
      outcome = op === "config" ? await configImport(target) : op === "pem" ? await pemImport(target) : await register(target);
    } catch (error) {
      outcome = `error ${(error as Error).message.split("\n")[0]}`;
    }
    process.stdout.write(`${n} ${op} ${target} ${outcome}\n`);
  }
}

void main();
