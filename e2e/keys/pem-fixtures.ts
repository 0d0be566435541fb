import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { adminApi, unique } from "../fixtures/api";
import { secretSeen } from "../fixtures/secrets-seen";

/** Key material made by openssl for a spec, and what an independent computation says about it. */
export interface PemFixtures {
  dir: string;
  certPath: string;
  keyPath: string;
  encryptedKeyPath: string;
  otherKeyPath: string;
  certPem: string;
  keyPem: string;
  encryptedKeyPem: string;
  otherKeyPem: string;
  passphrase: string;
  /** base64url SHA-1 of the certificate's DER. */
  x5t: string;
  /** Standard base64 of the DER: what x5c[0] must hold. */
  derBase64: string;
  /** As openssl and node print them: uppercase hex pairs joined by colons. */
  sha1Fingerprint: string;
  sha256Fingerprint: string;
}

/**
 * A self-signed RSA certificate for CN=bank.example with its key, the key as
 * encrypted PKCS#8 (passphrase "s3cret"), and an unrelated second key.
 */
export function makePemFixtures(): PemFixtures {
  const dir = mkdtempSync(path.join(tmpdir(), "keyward-e2e-pem-"));
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const passphrase = "s3cret";
  openssl("req", "-x509", "-newkey", "rsa:2048", "-keyout", "key.pem", "-out", "cert.pem", "-days", "365", "-nodes", "-subj", "/CN=bank.example/O=Bank");
  openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout", `pass:${passphrase}`, "-in", "key.pem", "-out", "enc.pem");
  openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "other.pem");
  const file = (name: string) => path.join(dir, name);
  const certPem = readFileSync(file("cert.pem"), "utf8");
  const cert = new X509Certificate(certPem);
  // The scan at the end of the run makes sure none of these ever comes back.
  for (const name of ["key.pem", "enc.pem", "other.pem"]) secretSeen("private key of the PEM fixtures", readFileSync(file(name), "utf8"), `makePemFixtures ${name}`);
  return {
    dir,
    certPath: file("cert.pem"),
    keyPath: file("key.pem"),
    encryptedKeyPath: file("enc.pem"),
    otherKeyPath: file("other.pem"),
    certPem,
    keyPem: readFileSync(file("key.pem"), "utf8"),
    encryptedKeyPem: readFileSync(file("enc.pem"), "utf8"),
    otherKeyPem: readFileSync(file("other.pem"), "utf8"),
    passphrase,
    x5t: createHash("sha1").update(cert.raw).digest("base64url"),
    derBase64: cert.raw.toString("base64"),
    sha1Fingerprint: cert.fingerprint,
    sha256Fingerprint: cert.fingerprint256,
  };
}

/** A fresh tenant through the admin API; its slug. */
export async function createTenant(prefix = "keys"): Promise<string> {
  const api = await adminApi();
  const slug = unique(prefix).toLowerCase();
  const res = await api.post("/api/v1/tenants", { data: { slug, name: `E2E ${slug}` } });
  expect(res.status(), await res.text()).toBe(201);
  await api.dispose();
  return slug;
}

/** Adds a key through the admin API; the created key's kid. */
export async function addKeyThroughApi(slug: string, body: Record<string, unknown>): Promise<string> {
  const api = await adminApi();
  const res = await api.post(`/api/v1/tenants/${slug}/keys`, { data: body });
  expect(res.status(), await res.text()).toBe(201);
  const key = (await res.json()) as { kid: string };
  await api.dispose();
  return key.kid;
}

/** The tenant's keys as the admin API lists them. */
export async function keysOf(slug: string): Promise<{ kid: string; state: string }[]> {
  const api = await adminApi();
  const res = await api.get(`/api/v1/tenants/${slug}/keys`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { items: { kid: string; state: string }[] };
  await api.dispose();
  return body.items;
}

/** Drops a file onto an element, as a drag from the desktop would. */
export async function dropFile(page: Page, selector: string, name: string, content: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, content }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], name, { type: "application/x-pem-file" }));
      return dt;
    },
    { name, content },
  );
  await page.dispatchEvent(selector, "dragover", { dataTransfer });
  await page.dispatchEvent(selector, "drop", { dataTransfer });
}
