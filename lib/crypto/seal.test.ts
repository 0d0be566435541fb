import { randomBytes } from "node:crypto";
import { describe, it, expect } from "vitest";
import {
  SealError,
  generateKek,
  isSealed,
  kekId,
  parseKek,
  reseal,
  seal,
  sealedKekId,
  unseal,
  unsealToString,
  type SealErrorCode,
} from "./seal.ts";

const kekA = parseKek(generateKek());
const kekB = parseKek(generateKek());
const SECRET = "-----BEGIN PRIVATE KEY-----super-secret-plaintext-42";
const AAD = "signing-key:key_123";

/** Runs `fn`, asserts it threw a SealError with `code`, and returns it. */
function expectSealError(fn: () => unknown, code: SealErrorCode): SealError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SealError);
    const sealErr = err as SealError;
    expect(sealErr.code).toBe(code);
    expect(sealErr.name).toBe("SealError");
    // No error message may ever leak the plaintext or key material.
    expect(sealErr.message).not.toContain(SECRET);
    expect(sealErr.message).not.toContain(kekA.toString("base64url"));
    expect(sealErr.message).not.toContain(kekB.toString("base64url"));
    expect(sealErr.message).not.toContain(kekA.toString("hex"));
    expect(sealErr.message).not.toContain(kekB.toString("hex"));
    return sealErr;
  }
  throw new Error(`expected SealError "${code}" but nothing was thrown`);
}

function parts(sealed: string): string[] {
  return sealed.split(".");
}

function withPart(sealed: string, index: number, value: string): string {
  const p = parts(sealed);
  p[index] = value;
  return p.join(".");
}

/** Flips one bit of the decoded bytes of a part and re-encodes it canonically. */
function flipBit(sealed: string, index: number): string {
  const part = parts(sealed)[index];
  if (part === undefined) throw new Error(`no part ${index}`);
  const bytes = Buffer.from(part, "base64url");
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return withPart(sealed, index, bytes.toString("base64url"));
}

describe("seal / unseal", () => {
  it("round-trips a string", () => {
    const sealed = seal(SECRET, kekA, AAD);
    expect(unsealToString(sealed, kekA, AAD)).toBe(SECRET);
    expect(unseal(sealed, kekA, AAD).toString("utf8")).toBe(SECRET);
  });

  it("round-trips binary data, including bytes that are not valid UTF-8", () => {
    const data = new Uint8Array([0, 255, 254, 1, 128, 0, 10]);
    const sealed = seal(data, kekA);
    expect(Uint8Array.from(unseal(sealed, kekA))).toEqual(data);
  });

  it("round-trips the empty string and non-ASCII text", () => {
    expect(unsealToString(seal("", kekA), kekA)).toBe("");
    expect(unsealToString(seal("clé 🔑 ключ", kekA), kekA)).toBe("clé 🔑 ключ");
  });

  it("does not modify the caller's plaintext buffer", () => {
    const data = Buffer.from("keep me");
    seal(data, kekA);
    expect(data.toString()).toBe("keep me");
  });

  it("produces the documented v1 format", () => {
    const sealed = seal(SECRET, kekA, AAD);
    const p = parts(sealed);
    expect(p).toHaveLength(5);
    expect(p[0]).toBe("v1");
    expect(p[1]).toBe(kekId(kekA));
    expect(Buffer.from(p[2] ?? "", "base64url")).toHaveLength(12);
    expect(Buffer.from(p[4] ?? "", "base64url")).toHaveLength(16);
    expect(sealed).not.toContain(SECRET);
  });

  it("produces different ciphertexts for two seals of the same value", () => {
    const one = seal(SECRET, kekA, AAD);
    const two = seal(SECRET, kekA, AAD);
    expect(one).not.toBe(two);
    expect(parts(one)[2]).not.toBe(parts(two)[2]);
    expect(unsealToString(one, kekA, AAD)).toBe(unsealToString(two, kekA, AAD));
  });

  it("treats an omitted AAD like the empty AAD", () => {
    expect(unsealToString(seal(SECRET, kekA), kekA, "")).toBe(SECRET);
  });
});

describe("tamper detection", () => {
  const sealed = seal(SECRET, kekA, AAD);

  it("detects a modified IV", () => {
    expectSealError(() => unseal(flipBit(sealed, 2), kekA, AAD), "tampered");
  });

  it("detects a modified ciphertext", () => {
    expectSealError(() => unseal(flipBit(sealed, 3), kekA, AAD), "tampered");
  });

  it("detects a modified tag", () => {
    expectSealError(() => unseal(flipBit(sealed, 4), kekA, AAD), "tampered");
  });

  it("detects a modified KEK id as a wrong KEK", () => {
    const err = expectSealError(
      () => unseal(withPart(sealed, 1, "0123456789abcdef"), kekA, AAD),
      "wrong_kek",
    );
    expect(err.message).toContain("0123456789abcdef");
  });

  it("detects a ciphertext relabelled with another KEK's id as tampered", () => {
    // A real KEK-id collision can't be produced; relabelling is the closest
    // reachable case and must still fail authentication under KEK B.
    const relabelled = withPart(sealed, 1, kekId(kekB));
    expectSealError(() => unseal(relabelled, kekB, AAD), "tampered");
  });

  it("detects an AAD mismatch (value moved to another record)", () => {
    expectSealError(() => unseal(sealed, kekA, "signing-key:other"), "tampered");
    expectSealError(() => unseal(sealed, kekA), "tampered");
    // Sealed without AAD cannot be opened with one either.
    expectSealError(() => unseal(seal(SECRET, kekA), kekA, AAD), "tampered");
  });

  it("never includes the plaintext in any error message", () => {
    const attempts: Array<() => unknown> = [
      () => unseal(flipBit(sealed, 3), kekA, AAD),
      () => unseal(sealed, kekB, AAD),
      () => unseal(sealed, kekA, "wrong"),
      () => unseal(`v2.${sealed.slice(3)}`, kekA, AAD),
      () => unseal(sealed.slice(0, -5), kekA, AAD),
      () => unseal(SECRET, kekA, AAD),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(SealError);
      try {
        attempt();
      } catch (err) {
        expect((err as Error).message).not.toContain(SECRET);
        expect((err as Error).message).not.toContain("super-secret");
      }
    }
  });
});

describe("wrong KEK", () => {
  it("reports which KEK sealed the value and which one is current", () => {
    const sealed = seal(SECRET, kekA, AAD);
    const err = expectSealError(() => unseal(sealed, kekB, AAD), "wrong_kek");
    expect(err.message).toContain(kekId(kekA));
    expect(err.message).toContain(kekId(kekB));
  });
});

describe("versions and malformed input", () => {
  const sealed = seal(SECRET, kekA, AAD);

  it("rejects an unknown version and names it", () => {
    const err = expectSealError(
      () => unseal(`v2.${sealed.slice(3)}`, kekA, AAD),
      "unsupported_version",
    );
    expect(err.message).toContain("v2");
    expectSealError(() => sealedKekId("v9.whatever"), "unsupported_version");
  });

  it.each([
    ["empty string", ""],
    ["plain text", "hello world"],
    ["PEM", "-----BEGIN PRIVATE KEY-----\nMIIE..."],
    ["JSON", '{"kty":"EC"}'],
    ["too few parts", "v1.0123456789abcdef.AAAA.BBBB"],
    ["too many parts", `${sealed}.extra`],
    ["bad kek id", withPart(sealed, 1, "not-a-kek-id!!!!")],
    ["uppercase kek id", withPart(sealed, 1, (parts(sealed)[1] ?? "").toUpperCase())],
    ["bad base64url in iv", withPart(sealed, 2, "!!!!!!!!!!!!!!!!")],
    ["standard base64 chars", withPart(sealed, 3, "ab+/")],
    ["short iv", withPart(sealed, 2, Buffer.alloc(8).toString("base64url"))],
    ["long iv", withPart(sealed, 2, Buffer.alloc(16).toString("base64url"))],
    ["short tag", withPart(sealed, 4, Buffer.alloc(12).toString("base64url"))],
    ["empty tag", withPart(sealed, 4, "")],
    // A 16-byte tag leaves 4 unused bits in its last base64url char; "B"
    // sets one of them, so the string decodes to the same bytes but is not
    // the canonical encoding.
    ["non-canonical base64url", withPart(sealed, 4, `${(parts(sealed)[4] ?? "").slice(0, -1)}B`)],
  ])("rejects %s as malformed", (_label, input) => {
    // Guard: the non-canonical case must really differ from the original.
    expect(input).not.toBe(sealed);
    expectSealError(() => unseal(input, kekA, AAD), "malformed");
    expect(isSealed(input)).toBe(false);
  });
});

describe("parseKek / generateKek / kekId", () => {
  const raw = randomBytes(32);

  it("accepts base64, base64url (padded or not) and hex", () => {
    expect(parseKek(raw.toString("base64")).equals(raw)).toBe(true);
    expect(parseKek(raw.toString("base64url")).equals(raw)).toBe(true);
    expect(parseKek(`${raw.toString("base64url")}=`).equals(raw)).toBe(true);
    expect(parseKek(raw.toString("hex")).equals(raw)).toBe(true);
    expect(parseKek(raw.toString("hex").toUpperCase()).equals(raw)).toBe(true);
  });

  it("trims surrounding whitespace (e.g. a trailing newline from a file)", () => {
    expect(parseKek(`  ${raw.toString("base64")}\n`).equals(raw)).toBe(true);
    expect(parseKek(`${raw.toString("hex")}\r\n`).equals(raw)).toBe(true);
  });

  it("rejects a 16-byte key with a clear message", () => {
    const short = randomBytes(16);
    for (const text of [short.toString("base64"), short.toString("base64url"), short.toString("hex")]) {
      expect(() => parseKek(text)).toThrow(
        "KEYWARD_KEK must be 32 bytes encoded as base64 or hex; got 16 bytes",
      );
    }
  });

  it("rejects garbage and empty input without echoing it", () => {
    for (const text of ["not a key at all!", "", "   ", "zz".repeat(32)]) {
      let message = "";
      try {
        parseKek(text);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/^KEYWARD_KEK must be 32 bytes encoded as base64 or hex; got /);
      if (text.trim() !== "") expect(message).not.toContain(text);
    }
  });

  it("generates distinct 32-byte base64url KEKs", () => {
    const one = generateKek();
    const two = generateKek();
    expect(one).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(one).not.toBe(two);
    expect(parseKek(one)).toHaveLength(32);
  });

  it("derives a stable 16-hex-char id that differs per KEK and is not the KEK", () => {
    expect(kekId(kekA)).toMatch(/^[0-9a-f]{16}$/);
    expect(kekId(kekA)).toBe(kekId(Buffer.from(kekA)));
    expect(kekId(kekA)).not.toBe(kekId(kekB));
    expect(kekA.toString("hex")).not.toContain(kekId(kekA));
  });

  it("refuses KEKs of the wrong size when sealing", () => {
    expect(() => seal(SECRET, randomBytes(16))).toThrow(/32 bytes/);
    expect(() => unseal(seal(SECRET, kekA), randomBytes(31))).toThrow(/32 bytes/);
  });
});

describe("sealedKekId / isSealed / reseal", () => {
  it("reads the sealing KEK's id without a KEK", () => {
    expect(sealedKekId(seal(SECRET, kekA))).toBe(kekId(kekA));
    expect(sealedKekId(seal(SECRET, kekB))).toBe(kekId(kekB));
    expectSealError(() => sealedKekId("garbage"), "malformed");
  });

  it("recognises sealed values", () => {
    expect(isSealed(seal(SECRET, kekA, AAD))).toBe(true);
    expect(isSealed(seal("", kekA))).toBe(true);
    expect(isSealed(SECRET)).toBe(false);
    expect(isSealed("v2.0123456789abcdef.a.b.c")).toBe(false);
  });

  it("reseals under a new KEK; the old KEK then fails with wrong_kek", () => {
    const original = seal(SECRET, kekA, AAD);
    const resealed = reseal(original, kekA, kekB, AAD);
    expect(sealedKekId(resealed)).toBe(kekId(kekB));
    expect(unsealToString(resealed, kekB, AAD)).toBe(SECRET);
    expectSealError(() => unseal(resealed, kekA, AAD), "wrong_kek");
  });

  it("keeps the AAD binding through a reseal", () => {
    const resealed = reseal(seal(SECRET, kekA, AAD), kekA, kekB, AAD);
    expectSealError(() => unseal(resealed, kekB, "signing-key:other"), "tampered");
  });

  it("refuses to reseal with the wrong old KEK or AAD", () => {
    const original = seal(SECRET, kekA, AAD);
    expectSealError(() => reseal(original, kekB, kekA, AAD), "wrong_kek");
    expectSealError(() => reseal(original, kekA, kekB, "other"), "tampered");
  });
});
