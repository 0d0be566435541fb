import { describe, expect, it } from "vitest";
import { certificateDetails } from "./certificate-details";
import { KeyInputError, type KeyInputErrorCode } from "./key-input-error";
import { parseCertificateChain } from "./parse-certificate-chain";
import { setUpOpensslFixtures } from "./test-openssl-fixtures";

const fx = setUpOpensslFixtures((f) => {
  f.leaf();
  f.otherCa();
  f.selfSignedP256();
});

const leaf = () => fx.read("leaf.pem");
const int = () => fx.read("int.pem");
const ca = () => fx.read("ca.pem");

function subjects(certificates: Buffer[]): string[] {
  return certificates.map((der) => certificateDetails(der).subject.replace(/^.*CN=/, ""));
}

async function expectError(promise: Promise<unknown>, code: KeyInputErrorCode): Promise<KeyInputError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected KeyInputError ${code}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyInputError);
  const e = error as KeyInputError;
  expect({ code: e.code, field: e.field }).toEqual({ code, field: "certificatePem" });
  return e;
}

describe("parseCertificateChain", () => {
  it("keeps a complete chain in order", async () => {
    const chain = await parseCertificateChain(leaf() + int() + ca());
    expect(subjects(chain.certificates)).toEqual(["0015800001HQQrZAAX", "Test Issuing CA", "Test Root CA"]);
    expect(chain.complete).toBe(true);
    expect(chain.warnings).toEqual([]);
    expect(chain.certificates[0]?.equals(fx.der("leaf.pem"))).toBe(true);
  });

  it("puts a chain pasted in the wrong order leaf first", async () => {
    const chain = await parseCertificateChain(ca() + leaf() + int());
    expect(subjects(chain.certificates)).toEqual(["0015800001HQQrZAAX", "Test Issuing CA", "Test Root CA"]);
    expect(chain.pem).toBe(leaf() + int() + ca());
  });

  it("accepts CRLF endings and openssl's text around the blocks", async () => {
    const text = [
      "subject=C = GB, O = Test Directory, CN = Test Issuing CA",
      "issuer=C = GB, O = Test Directory, CN = Test Root CA",
      int(),
      "Bag Attributes",
      "    localKeyID: 01 00 00 00",
      "subject=C = GB, O = Bank plc, CN = 0015800001HQQrZAAX",
      leaf(),
      "",
    ]
      .join("\n")
      .replace(/\n/g, "\r\n");
    const chain = await parseCertificateChain(text);
    expect(subjects(chain.certificates)).toEqual(["0015800001HQQrZAAX", "Test Issuing CA"]);
  });

  it("reports an incomplete chain with the missing issuer", async () => {
    const chain = await parseCertificateChain(int() + leaf());
    expect(chain.complete).toBe(false);
    expect(chain.warnings).toEqual([
      "the chain ends at C=GB, O=Test Directory, CN=Test Root CA, which is not included: relying parties need the directory's CA",
    ]);
    const alone = await parseCertificateChain(leaf());
    expect(alone.complete).toBe(false);
    expect(alone.warnings[0]).toContain("CN=Test Issuing CA");
  });

  it("treats a single self-signed certificate as complete", async () => {
    const chain = await parseCertificateChain(fx.read("self-p256.pem"));
    expect(chain.complete).toBe(true);
    expect(chain.warnings).toEqual([]);
  });

  it("drops a duplicate with a warning", async () => {
    const chain = await parseCertificateChain(leaf() + int() + leaf());
    expect(chain.certificates).toHaveLength(2);
    expect(chain.warnings[0]).toMatch(/repeats the one at line 1/);
  });

  it("refuses a chain with a missing link, naming the certificate that does not link", async () => {
    for (const text of [leaf() + ca(), ca() + leaf()]) {
      const e = await expectError(parseCertificateChain(text), "chain_broken");
      expect(e.message).toMatch(/the certificate "C=GB, O=Test Directory, CN=Test Root CA" \(line \d+\) does not link to the certificate "C=GB, O=Bank plc, .*CN=0015800001HQQrZAAX"/);
    }
  });

  it("refuses an unrelated certificate in the chain", async () => {
    const e = await expectError(parseCertificateChain(leaf() + int() + ca() + fx.read("other-ca.pem")), "chain_broken");
    expect(e.message).toContain('"C=BR, O=Other Directory, CN=Other Root"');
  });

  it("does not link by name alone: the signature must verify", async () => {
    // Same subject as the real issuing CA, different key.
    fx.openssl(
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "fake-int.key",
      "-days", "30", "-subj", "/C=GB/O=Test Directory/CN=Test Issuing CA", "-out", "fake-int.pem",
    );
    await expectError(parseCertificateChain(leaf() + fx.read("fake-int.pem")), "chain_broken");
  });

  it("refuses a private key pasted in the certificate field without echoing it", async () => {
    const key = fx.read("rsa.pem");
    const e = await expectError(parseCertificateChain(key), "wrong_block_type");
    expect(e.message).toBe(
      "certificatePem: found a PRIVATE KEY block where a certificate was expected (line 1) — paste the private key in the private key field",
    );
    await expectError(parseCertificateChain(leaf() + key), "wrong_block_type");
  });

  it("refuses broken pastes", async () => {
    const truncated = leaf().split("\n").slice(0, 8).join("\n");
    const e = await expectError(parseCertificateChain(`note\n\n${truncated}`), "truncated_block");
    expect(e.message).toBe(
      "certificatePem: the block starting at line 3 (BEGIN CERTIFICATE) has no END line — the paste looks truncated",
    );
    await expectError(parseCertificateChain("nothing here"), "no_pem_block");
    const badBase64 = leaf().replace(/\n(.)/, "\n$1$");
    await expectError(parseCertificateChain(badBase64), "bad_base64");
    const notCert = "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n";
    await expectError(parseCertificateChain(notCert), "not_a_certificate");
  });
});
