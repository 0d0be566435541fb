import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { addKeyThroughApi, createTenant, dropFile } from "./pem-fixtures";

/** Has a throwaway CA sign the CSR, as the directory would; the issued certificate and the CA's. */
function issueCertificate(csrPem: string): { leafPem: string; caPem: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "keyward-e2e-ca-"));
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  writeFileSync(path.join(dir, "req.csr"), csrPem);
  openssl("req", "-x509", "-newkey", "rsa:2048", "-keyout", "ca.key", "-out", "ca.pem", "-days", "365", "-nodes", "-subj", "/CN=E2E Directory CA/O=Directory");
  // A v3 certificate, as a directory issues it (without extensions openssl writes v1, which Keyward refuses).
  writeFileSync(path.join(dir, "leaf.ext"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n");
  openssl("x509", "-req", "-in", "req.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-extfile", "leaf.ext", "-out", "leaf.pem", "-days", "90");
  return { leafPem: readFileSync(path.join(dir, "leaf.pem"), "utf8"), caPem: readFileSync(path.join(dir, "ca.pem"), "utf8") };
}

test.describe("a key's lifecycle on its page", () => {
  test("an admin attaches the certificate issued for a CSR, retires the key and revokes it with a reason", async ({ page, request }) => {
    const slug = await createTenant("life");
    const kid = await addKeyThroughApi(slug, { source: "generate", alg: "PS256" });
    await page.goto(`/tenants/${slug}/keys/${kid}`);
    await expect(page.getByTestId("key-state")).toHaveText("staged");

    const csr = page.getByRole("form", { name: "Certificate signing request" });
    await csr.getByLabel("Subject", { exact: true }).fill("CN=signing.bank.example,O=Bank");
    await csr.getByRole("button", { name: "Create CSR" }).click();
    const csrPem = await page.getByTestId("csr-pem-value").inputValue();
    expect(csrPem).toContain("-----BEGIN CERTIFICATE REQUEST-----");

    const { leafPem, caPem } = issueCertificate(csrPem);
    const attach = page.getByRole("form", { name: "Attach certificate" });
    await dropFile(page, "#attach-certificatePem", "chain.pem", `${caPem}\n${leafPem}`);
    await expect(attach.getByLabel("Certificate (PEM)", { exact: true })).toHaveValue(/-----BEGIN CERTIFICATE-----/);
    await attach.getByRole("button", { name: "Attach certificate" }).click();
    await expect(page.getByTestId("toasts")).toContainText(`Certificate attached to ${kid}`);
    await expect(page.getByTestId("cert-subject")).toContainText("CN=signing.bank.example");
    await expect(page.getByTestId("cert-issuer")).toContainText("CN=E2E Directory CA");
    await expect(page.getByRole("form", { name: "Renew certificate" })).toBeVisible();

    const certs = async () => ((await (await request.get(`/${slug}/oauth2/v1/certs`)).json()) as { keys: Record<string, unknown>[] }).keys;
    expect((await certs()).find((k) => k.kid === kid)).toHaveProperty("x5c");

    await page.getByRole("button", { name: `Retire key ${kid}` }).click();
    await page.getByRole("dialog", { name: `Retire ${kid}?` }).getByRole("button", { name: "Retire key" }).click();
    await expect(page.getByTestId("key-state")).toHaveText("retired");
    expect((await certs()).map((k) => k.kid)).toContain(kid);

    // Revoking needs a reason: without one it is refused and nothing changes.
    await page.getByRole("button", { name: `Revoke key ${kid}` }).click();
    await page.getByRole("dialog", { name: `Revoke ${kid}?` }).getByRole("button", { name: "Revoke key" }).click();
    await expect(page.getByTestId("form-alert")).toHaveText("Revoking needs a reason: say why the key is revoked.");
    await expect(page.getByTestId("key-state")).toHaveText("retired");

    await page.getByRole("button", { name: `Revoke key ${kid}` }).click();
    const dialog = page.getByRole("dialog", { name: `Revoke ${kid}?` });
    await dialog.getByLabel("Reason (audited)").fill("private key exposed in a support ticket");
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await expect(page.getByTestId("key-state")).toHaveText("revoked");
    await expect(page.getByText("Reason: private key exposed in a support ticket")).toBeVisible();
    await expect(page.getByRole("button", { name: /Activate|Retire|Remove|Revoke/ })).toHaveCount(0);
    expect((await certs()).map((k) => k.kid)).not.toContain(kid);

    await page.goto(`/tenants/${slug}/keys`);
    const gone = page.getByTestId("gone-keys");
    await expect(gone).not.toHaveAttribute("open");
    await gone.getByText("Revoked and removed (1)").click();
    await expect(gone.getByTestId("key-row")).toHaveAttribute("data-kid", kid);
  });

  test("an unknown kid shows the not-found page", async ({ page }) => {
    const slug = await createTenant("life");
    await page.goto(`/tenants/${slug}/keys/no-such-kid`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This signing key does not exist");
  });
});
