import { describe, expect, it } from "vitest";
import { certificateDetails, fingerprint, validityProblems } from "./certificate-details";
import { KeyInputError } from "./key-input-error";
import { LEAF_SERIAL, setUpOpensslFixtures } from "./test-openssl-fixtures";

const fx = setUpOpensslFixtures((f) => {
  f.leaf();
  f.selfSignedP256();
});

describe("certificateDetails", () => {
  it("reads names, serial, validity, SANs and usages of a leaf", () => {
    const details = certificateDetails(fx.der("leaf.pem"));
    expect(details.subject).toBe(
      "C=GB, O=Bank plc, organizationIdentifier=PSDGB-OB-Unknown0015800001HQQrZAAX, CN=0015800001HQQrZAAX",
    );
    expect(details.issuer).toBe("C=GB, O=Test Directory, CN=Test Issuing CA");
    expect(details.serialNumber).toBe(LEAF_SERIAL);
    expect(`serial=${details.serialNumber}`).toBe(fx.openssl("x509", "-in", "leaf.pem", "-noout", "-serial").trim());
    expect(details.sans).toEqual([
      "DNS:signing.bank.example",
      "URI:https://bank.example/jwks",
      "email:pki@bank.example",
      "IP:10.1.2.3",
    ]);
    expect(details.keyUsage).toEqual(["digitalSignature", "nonRepudiation"]);
    expect(details.extendedKeyUsage).toEqual(["clientAuth"]);
    expect(details.selfSigned).toBe(false);
    expect(details.publicKey).toEqual({ kty: "RSA", bits: 2048 });
    const days = (Date.parse(details.notAfter) - Date.parse(details.notBefore)) / 86_400_000;
    expect(days).toBe(365);
    expect(details.notBefore).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  });

  it("formats fingerprints exactly like openssl", () => {
    const details = certificateDetails(fx.der("leaf.pem"));
    expect(details.sha1Fingerprint).toBe(fx.fingerprint("leaf.pem", "sha1"));
    expect(details.sha256Fingerprint).toBe(fx.fingerprint("leaf.pem", "sha256"));
    expect(details.sha256Fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(fingerprint(Buffer.from("abc"), "sha1")).toBe("A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D");
  });

  it("recognises a self-signed certificate and an EC key", () => {
    const details = certificateDetails(fx.der("self-p256.pem"));
    expect(details.selfSigned).toBe(true);
    expect(details.publicKey).toEqual({ kty: "EC", crv: "P-256" });
    expect(details.sans).toEqual([]);
    expect(details.keyUsage).toEqual([]);
  });

  it("refuses bytes that are not a certificate", () => {
    for (const bytes of [Buffer.from("3003020101", "hex"), Buffer.from("hello")]) {
      expect(() => certificateDetails(bytes)).toThrow(KeyInputError);
      expect(() => certificateDetails(bytes)).toThrow(expect.objectContaining({ code: "not_a_certificate", field: "certificatePem" }));
    }
  });
});

describe("validityProblems", () => {
  const window = { notBefore: "2025-01-01T00:00:00.000Z", notAfter: "2026-01-01T00:00:00.000Z" };

  it("is quiet inside the window", () => {
    expect(validityProblems(window, new Date("2025-06-01T00:00:00Z"))).toEqual([]);
  });

  it("warns before expiry", () => {
    expect(validityProblems(window, new Date("2025-12-20T00:00:00Z"))).toEqual([
      "the certificate expires in 12 days, on 2026-01-01T00:00:00.000Z",
    ]);
    expect(validityProblems(window, new Date("2025-12-31T12:00:00Z"))[0]).toMatch(/expires in 1 day,/);
    expect(validityProblems(window, new Date("2025-12-20T00:00:00Z"), 7)).toEqual([]);
  });

  it("reports expired and not-yet-valid certificates", () => {
    expect(validityProblems(window, new Date("2026-02-01T00:00:00Z"))).toEqual([
      "the certificate expired on 2026-01-01T00:00:00.000Z",
    ]);
    expect(validityProblems(window, new Date("2024-12-01T00:00:00Z"))).toEqual([
      "the certificate is not valid before 2025-01-01T00:00:00.000Z",
    ]);
  });
});
