/**
 * Test support (imported by tests only, never by the application): keys and certificates
 * made by the openssl command line, so the code under test is checked
 * against an independent implementation rather than against itself.
 *
 * Everything is generated lazily and memoised, so each test file pays only
 * for what it uses; RSA key generation is the slow part.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

export const PASSPHRASE = "correct horse battery staple";

export const LEAF_SUBJECT = "/C=GB/O=Bank plc/2.5.4.97=PSDGB-OB-Unknown0015800001HQQrZAAX/CN=0015800001HQQrZAAX";
export const LEAF_SERIAL = "8AB1CDEF01";

export class OpensslFixtures {
  readonly dir: string;
  private readonly made = new Map<string, string>();

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "keyward-crypto-"));
  }

  /** Runs openssl in the fixture directory and returns its stdout. */
  openssl(...args: string[]): string {
    return execFileSync("openssl", args, { cwd: this.dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  read(name: string): string {
    return readFileSync(this.path(name), "utf8");
  }

  write(name: string, text: string): string {
    writeFileSync(this.path(name), text);
    return name;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private once(name: string, make: () => void): string {
    if (!this.made.has(name)) {
      make();
      this.made.set(name, name);
    }
    return this.read(name);
  }

  // ── keys ────────────────────────────────────────────────────────────────

  /** RSA 2048, PKCS#8 ("PRIVATE KEY"). */
  rsa(): string {
    return this.once("rsa.pem", () =>
      this.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pem"),
    );
  }

  /** The same RSA key as PKCS#1 ("RSA PRIVATE KEY"). */
  rsaPkcs1(): string {
    this.rsa();
    return this.once("rsa-pkcs1.pem", () => this.openssl("rsa", "-in", "rsa.pem", "-traditional", "-out", "rsa-pkcs1.pem"));
  }

  /** The same RSA key as encrypted PKCS#8. */
  rsaEncrypted(): string {
    this.rsa();
    return this.once("rsa-enc.pem", () =>
      this.openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout", `pass:${PASSPHRASE}`, "-in", "rsa.pem", "-out", "rsa-enc.pem"),
    );
  }

  /** The same RSA key as legacy encrypted PKCS#1 (Proc-Type/DEK-Info). */
  rsaLegacyEncrypted(): string {
    this.rsa();
    return this.once("rsa-legacy.pem", () =>
      this.openssl("rsa", "-in", "rsa.pem", "-aes256", "-traditional", "-passout", `pass:${PASSPHRASE}`, "-out", "rsa-legacy.pem"),
    );
  }

  /** The RSA key's public part, SPKI ("PUBLIC KEY"). */
  rsaPublic(): string {
    this.rsa();
    return this.once("rsa-pub.pem", () => this.openssl("pkey", "-in", "rsa.pem", "-pubout", "-out", "rsa-pub.pem"));
  }

  /** The RSA key's public part, PKCS#1 ("RSA PUBLIC KEY"). */
  rsaPublicPkcs1(): string {
    this.rsa();
    return this.once("rsa-pub1.pem", () => this.openssl("rsa", "-in", "rsa.pem", "-RSAPublicKey_out", "-out", "rsa-pub1.pem"));
  }

  /** Another RSA 2048 key (for mismatches). */
  rsaOther(): string {
    return this.once("rsa-other.pem", () =>
      this.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa-other.pem"),
    );
  }

  rsa1024(): string {
    return this.once("rsa1024.pem", () =>
      this.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "rsa1024.pem"),
    );
  }

  /** P-256 as SEC1 with the "EC PARAMETERS" block openssl ecparam writes first. */
  p256Sec1WithParams(): string {
    return this.once("p256-params.pem", () =>
      this.openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "p256-params.pem"),
    );
  }

  /** The same P-256 key as SEC1 ("EC PRIVATE KEY") alone. */
  p256Sec1(): string {
    this.p256Sec1WithParams();
    return this.once("p256-sec1.pem", () => this.openssl("ec", "-in", "p256-params.pem", "-out", "p256-sec1.pem"));
  }

  /** The same P-256 key as PKCS#8. */
  p256Pkcs8(): string {
    this.p256Sec1WithParams();
    return this.once("p256-pkcs8.pem", () =>
      this.openssl("pkcs8", "-topk8", "-nocrypt", "-in", "p256-params.pem", "-out", "p256-pkcs8.pem"),
    );
  }

  p384(): string {
    return this.once("p384.pem", () =>
      this.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.pem"),
    );
  }

  ed25519(): string {
    return this.once("ed25519.pem", () => this.openssl("genpkey", "-algorithm", "ed25519", "-out", "ed25519.pem"));
  }

  ed448(): string {
    return this.once("ed448.pem", () => this.openssl("genpkey", "-algorithm", "ed448", "-out", "ed448.pem"));
  }

  x25519(): string {
    return this.once("x25519.pem", () => this.openssl("genpkey", "-algorithm", "x25519", "-out", "x25519.pem"));
  }

  /** Diffie-Hellman (ffdhe2048): a key-agreement key. */
  dh(): string {
    return this.once("dh.pem", () => this.openssl("genpkey", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048", "-out", "dh.pem"));
  }

  /** DSA (1024-bit parameters: only its refusal is tested, and they generate fast). */
  dsa(): string {
    return this.once("dsa.pem", () => {
      this.openssl("genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:1024", "-out", "dsa-params.pem");
      this.openssl("genpkey", "-paramfile", "dsa-params.pem", "-out", "dsa.pem");
    });
  }

  p521(): string {
    return this.once("p521.pem", () =>
      this.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521", "-out", "p521.pem"),
    );
  }

  secp256k1(): string {
    return this.once("secp256k1.pem", () =>
      this.openssl("ecparam", "-name", "secp256k1", "-genkey", "-noout", "-out", "secp256k1.pem"),
    );
  }

  // ── certificates ────────────────────────────────────────────────────────

  /** Self-signed root CA (P-256). */
  ca(): string {
    return this.once("ca.pem", () => {
      this.openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
      this.openssl(
        "req", "-x509", "-new", "-key", "ca.key", "-sha256", "-days", "3650",
        "-subj", "/C=GB/O=Test Directory/CN=Test Root CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-out", "ca.pem",
      );
    });
  }

  /** Issuing CA (P-256) signed by {@link ca}. */
  intermediate(): string {
    this.ca();
    return this.once("int.pem", () => {
      this.openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "int.key");
      this.openssl("req", "-new", "-key", "int.key", "-subj", "/C=GB/O=Test Directory/CN=Test Issuing CA", "-out", "int.csr");
      this.write("int.ext", "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n");
      this.openssl(
        "x509", "-req", "-in", "int.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "0x1001",
        "-days", "1825", "-sha256", "-extfile", "int.ext", "-out", "int.pem",
      );
    });
  }

  /** Leaf for {@link rsa}, signed by {@link intermediate}, with SANs and usages. */
  leaf(): string {
    this.rsa();
    this.intermediate();
    return this.once("leaf.pem", () => {
      this.openssl("req", "-new", "-key", "rsa.pem", "-subj", LEAF_SUBJECT, "-out", "leaf.csr");
      this.write(
        "leaf.ext",
        [
          "basicConstraints=CA:FALSE",
          "keyUsage=critical,digitalSignature,nonRepudiation",
          "extendedKeyUsage=clientAuth",
          "subjectAltName=DNS:signing.bank.example,URI:https://bank.example/jwks,email:pki@bank.example,IP:10.1.2.3",
          "",
        ].join("\n"),
      );
      this.openssl(
        "x509", "-req", "-in", "leaf.csr", "-CA", "int.pem", "-CAkey", "int.key", "-set_serial", `0x${LEAF_SERIAL}`,
        "-days", "365", "-sha256", "-extfile", "leaf.ext", "-out", "leaf.pem",
      );
    });
  }

  /** Leaf for {@link rsa} whose key usage lacks digitalSignature. */
  leafKeyEncipherment(): string {
    this.rsa();
    this.intermediate();
    return this.once("leaf-ke.pem", () => {
      this.openssl("req", "-new", "-key", "rsa.pem", "-subj", "/C=GB/O=Bank plc/CN=encipherment", "-out", "leaf-ke.csr");
      this.write("leaf-ke.ext", "keyUsage=critical,keyEncipherment\n");
      this.openssl(
        "x509", "-req", "-in", "leaf-ke.csr", "-CA", "int.pem", "-CAkey", "int.key", "-set_serial", "0x77",
        "-days", "365", "-sha256", "-extfile", "leaf-ke.ext", "-out", "leaf-ke.pem",
      );
    });
  }

  /** Self-signed certificate for the P-256 key ({@link p256Pkcs8}). */
  selfSignedP256(): string {
    this.p256Pkcs8();
    return this.once("self-p256.pem", () =>
      this.openssl(
        "req", "-x509", "-new", "-key", "p256-pkcs8.pem", "-sha256", "-days", "365",
        "-subj", "/CN=self-signed.bank.example", "-out", "self-p256.pem",
      ),
    );
  }

  /** An unrelated self-signed CA. */
  otherCa(): string {
    return this.once("other-ca.pem", () =>
      this.openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "other-ca.key",
        "-sha256", "-days", "3650", "-subj", "/C=BR/O=Other Directory/CN=Other Root", "-out", "other-ca.pem",
      ),
    );
  }

  /** DER of a PEM certificate file, by openssl. */
  der(name: string): Buffer {
    const derName = `${name}.der`;
    this.openssl("x509", "-in", name, "-outform", "DER", "-out", derName);
    return readFileSync(this.path(derName));
  }

  /** `openssl x509 -outform DER | base64 -w0`. */
  base64Der(name: string): string {
    const derName = `${name}.der`;
    this.openssl("x509", "-in", name, "-outform", "DER", "-out", derName);
    return execFileSync("base64", ["-w0", this.path(derName)], { encoding: "utf8" }).trim();
  }

  /** openssl's fingerprint, e.g. "AB:CD:…". */
  fingerprint(name: string, digest: "sha1" | "sha256"): string {
    const out = this.openssl("x509", "-in", name, "-noout", "-fingerprint", `-${digest}`).trim();
    return out.slice(out.indexOf("=") + 1);
  }
}

/** Creates fixtures for a test file: `prepare` runs in beforeAll, the directory goes in afterAll. */
export function setUpOpensslFixtures(prepare: (fx: OpensslFixtures) => void = () => {}): OpensslFixtures {
  const fx = new OpensslFixtures();
  beforeAll(() => prepare(fx), 60_000);
  afterAll(() => fx.cleanup());
  return fx;
}

/** Converts openssl's "AB:CD:…" hex to base64url. */
export function hexToBase64url(colonHex: string): string {
  return Buffer.from(colonHex.replace(/:/g, ""), "hex").toString("base64url");
}
