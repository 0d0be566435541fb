import { describe, expect, it } from "vitest";
import { KeyInputError, type KeyInputErrorCode } from "./key-input-error";
import { encodePemBlock, noPemBlockError, splitPemBlocks } from "./pem-blocks";

const DER_A = Buffer.from("3003020101", "hex");
const DER_B = Buffer.from(Array.from({ length: 100 }, (_, i) => i));

function expectError(fn: () => unknown, code: KeyInputErrorCode, field = "certificatePem"): KeyInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KeyInputError);
    const e = error as KeyInputError;
    expect(e.code).toBe(code);
    expect(e.field).toBe(field);
    expect(e.name).toBe("KeyInputError");
    return e;
  }
  throw new Error(`expected KeyInputError ${code}`);
}

describe("splitPemBlocks", () => {
  it("finds blocks with their labels, DER and BEGIN line", () => {
    const text = encodePemBlock({ label: "CERTIFICATE", der: DER_A }) + encodePemBlock({ label: "PRIVATE KEY", der: DER_B });
    const blocks = splitPemBlocks(text, "certificatePem");
    expect(blocks.map((b) => [b.label, b.line, b.headers])).toEqual([
      ["CERTIFICATE", 1, []],
      ["PRIVATE KEY", 4, []],
    ]);
    expect(blocks[0]?.der.equals(DER_A)).toBe(true);
    expect(blocks[1]?.der.equals(DER_B)).toBe(true);
  });

  it("accepts CRLF and CR line endings, indentation and surrounding text", () => {
    const pem = encodePemBlock({ label: "CERTIFICATE", der: DER_B });
    const junk = [
      "Bag Attributes",
      "    localKeyID: 01 00 00 00",
      "subject=C = GB, O = Bank plc, CN = signing",
      "issuer=C = GB, O = Test Directory, CN = Test Issuing CA",
      "",
    ].join("\n");
    for (const eol of ["\r\n", "\r"]) {
      const text = `  \n${junk}${pem.split("\n").map((l) => `  ${l}  `).join(eol)}\nthanks, the PKI team\n`.replace(/\n/g, eol);
      const [block, ...rest] = splitPemBlocks(text, "certificatePem");
      expect(rest).toHaveLength(0);
      expect(block?.label).toBe("CERTIFICATE");
      expect(block?.line).toBe(6);
      expect(block?.der.equals(DER_B)).toBe(true);
    }
  });

  it("keeps RFC 1421 headers (legacy encrypted PKCS#1)", () => {
    const text = [
      "-----BEGIN RSA PRIVATE KEY-----",
      "Proc-Type: 4,ENCRYPTED",
      "DEK-Info: AES-256-CBC,E2419E7C14EAB7BC6E9C5D3349909988",
      "",
      DER_B.toString("base64"),
      "-----END RSA PRIVATE KEY-----",
    ].join("\n");
    const [block] = splitPemBlocks(text, "privateKeyPem");
    expect(block?.headers).toEqual([
      { name: "Proc-Type", value: "4,ENCRYPTED" },
      { name: "DEK-Info", value: "AES-256-CBC,E2419E7C14EAB7BC6E9C5D3349909988" },
    ]);
    expect(block?.der.equals(DER_B)).toBe(true);
    // And they survive re-encoding.
    expect(splitPemBlocks(encodePemBlock(block!), "privateKeyPem")[0]?.headers).toEqual(block?.headers);
  });

  it("finds blocks flattened onto one line, or with literal \\n escapes", () => {
    const pem = encodePemBlock({ label: "CERTIFICATE", der: DER_B });
    const flat = pem.replace(/\n/g, " ");
    expect(splitPemBlocks(flat, "certificatePem")[0]?.der.equals(DER_B)).toBe(true);
    const escaped = JSON.stringify(pem).slice(1, -1);
    expect(escaped).toContain("\\n");
    expect(splitPemBlocks(escaped, "certificatePem")[0]?.der.equals(DER_B)).toBe(true);
  });

  it("returns no blocks for text without BEGIN", () => {
    expect(splitPemBlocks("hello\nworld", "certificatePem")).toEqual([]);
    expect(splitPemBlocks("", "certificatePem")).toEqual([]);
  });

  it("refuses a BEGIN without END, naming the line", () => {
    const text = ["junk", "junk", "-----BEGIN CERTIFICATE-----", DER_B.toString("base64").slice(0, 64)].join("\n");
    const e = expectError(() => splitPemBlocks(text, "certificatePem"), "truncated_block");
    expect(e.message).toBe(
      "certificatePem: the block starting at line 3 (BEGIN CERTIFICATE) has no END line — the paste looks truncated",
    );
  });

  it("refuses a BEGIN followed by another BEGIN", () => {
    const text = `-----BEGIN CERTIFICATE-----\nAAAA\n${encodePemBlock({ label: "CERTIFICATE", der: DER_A })}`;
    expect(expectError(() => splitPemBlocks(text, "certificatePem"), "truncated_block").message).toContain("line 1");
  });

  it("refuses an END without BEGIN", () => {
    const text = `${DER_B.toString("base64")}\n-----END CERTIFICATE-----\n`;
    expect(expectError(() => splitPemBlocks(text, "certificatePem"), "truncated_block").message).toMatch(/no BEGIN line/);
  });

  it("refuses an END label that differs from BEGIN", () => {
    const text = `-----BEGIN CERTIFICATE-----\n${DER_A.toString("base64")}\n-----END PRIVATE KEY-----\n`;
    const e = expectError(() => splitPemBlocks(text, "privateKeyPem"), "mismatched_end", "privateKeyPem");
    expect(e.message).toContain("END PRIVATE KEY");
  });

  it("refuses invalid base64 and empty blocks", () => {
    const body = DER_B.toString("base64");
    const bad = `-----BEGIN CERTIFICATE-----\n${body.slice(0, 10)}!${body.slice(11)}\n-----END CERTIFICATE-----\n`;
    expect(expectError(() => splitPemBlocks(bad, "certificatePem"), "bad_base64").message).toContain('"!"');
    const short = `-----BEGIN CERTIFICATE-----\n${body.slice(0, -3)}\n-----END CERTIFICATE-----\n`;
    expect(expectError(() => splitPemBlocks(short, "certificatePem"), "bad_base64").message).toMatch(/length or padding/);
    const empty = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
    expect(expectError(() => splitPemBlocks(empty, "certificatePem"), "bad_base64").message).toMatch(/empty/);
  });
});

describe("encodePemBlock", () => {
  it("writes 64-column base64 with LF endings and a final newline", () => {
    const pem = encodePemBlock({ label: "CERTIFICATE", der: DER_B });
    const lines = pem.split("\n");
    expect(lines[0]).toBe("-----BEGIN CERTIFICATE-----");
    expect(lines[1]).toHaveLength(64);
    expect(pem.endsWith("-----END CERTIFICATE-----\n")).toBe(true);
    expect(pem).not.toContain("\r");
  });
});

describe("noPemBlockError", () => {
  it("hints at what the text looks like", () => {
    expect(noPemBlockError("", "certificatePem", "a certificate").message).toMatch(/empty/);
    expect(noPemBlockError('{"kty":"RSA"}', "privateKeyPem", "a private key").message).toMatch(/JSON/);
    expect(noPemBlockError(DER_B.toString("base64"), "certificatePem", "a certificate").message).toMatch(/armour/);
    const e = noPemBlockError("hello", "certificatePem", "a certificate");
    expect(e.code).toBe("no_pem_block");
    expect(e.field).toBe("certificatePem");
  });
});
