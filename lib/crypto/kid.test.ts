import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KeyInputError } from "./key-input-error";
import { defaultKidStrategy, deriveKid, isKidStrategy, KID_STRATEGIES, validateKid } from "./kid";
import { publicKeyJwk } from "./public-jwk";
import { jwkThumbprint, x5t, x5tS256 } from "./thumbprints";

const jwk = publicKeyJwk(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey);
const leafDer = Buffer.from("not really a certificate, but the hash does not care");

async function expectBadKid(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(KeyInputError);
  expect((error as KeyInputError).code).toBe("bad_kid");
  expect((error as KeyInputError).field).toBe("kid");
  expect((error as KeyInputError).message).toMatch(pattern);
}

describe("deriveKid", () => {
  it("derives each strategy", async () => {
    expect(await deriveKid({ strategy: "thumbprint", jwk })).toBe(await jwkThumbprint(jwk));
    expect(await deriveKid({ strategy: "x5t", jwk, leafDer })).toBe(x5t(leafDer));
    expect(await deriveKid({ strategy: "x5t#S256", jwk, leafDer })).toBe(x5tS256(leafDer));
    expect(await deriveKid({ strategy: "given", jwk, given: "directory-kid-123" })).toBe("directory-kid-123");
  });

  it("defaults to given, then x5t with a certificate, then the thumbprint", async () => {
    expect(await deriveKid({ jwk, leafDer, given: "dir" })).toBe("dir");
    expect(await deriveKid({ jwk, leafDer })).toBe(x5t(leafDer));
    expect(await deriveKid({ jwk })).toBe(await jwkThumbprint(jwk));
    expect(defaultKidStrategy({ hasCertificate: true })).toBe("x5t");
    expect(defaultKidStrategy({ hasCertificate: false, given: "" })).toBe("thumbprint");
  });

  it("refuses certificate strategies without a certificate", async () => {
    await expectBadKid(deriveKid({ strategy: "x5t", jwk }), /needs a certificate/);
    await expectBadKid(deriveKid({ strategy: "x5t#S256", jwk }), /needs a certificate/);
  });

  it("refuses 'given' without a kid, and a kid with another strategy", async () => {
    await expectBadKid(deriveKid({ strategy: "given", jwk }), /enter the kid/);
    await expectBadKid(deriveKid({ strategy: "thumbprint", jwk, given: "x" }), /strategy is "thumbprint"/);
  });

  it("validates given kids", async () => {
    expect(validateKid("a")).toBe("a");
    expect(validateKid("~".repeat(256))).toHaveLength(256);
    for (const bad of ["has space", "tab\there", "x".repeat(257), "é", "line\n"]) {
      await expectBadKid(deriveKid({ strategy: "given", jwk, given: bad }), /kid/);
    }
  });

  it("lists its strategies", () => {
    expect(KID_STRATEGIES).toEqual(["thumbprint", "x5t", "x5t#S256", "given"]);
    expect(isKidStrategy("x5t#S256")).toBe(true);
    expect(isKidStrategy("sha1")).toBe(false);
  });
});
