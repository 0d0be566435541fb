import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./password";

describe("password hashing", () => {
  it("hashes with argon2id and verifies only the right password", async () => {
    const h = await hashPassword("correct horse battery staple");
    expect(h.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(h, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(h, "correct horse battery stapler")).toBe(false);
  });

  it("answers false for a missing or malformed hash", async () => {
    expect(await verifyPassword(null, "whatever-password")).toBe(false);
    expect(await verifyPassword("not-a-hash", "whatever-password")).toBe(false);
  });
});

describe("passwordProblem", () => {
  it("names what is wrong", () => {
    expect(passwordProblem("short")).toBe("must be at least 12 characters");
    expect(passwordProblem("aaaaaaaaaaaaaaaa")).toBe("is too repetitive");
    expect(passwordProblem("alice-is-great-2026", "alice@bank.example")).toBe("must not contain the email's name");
    expect(passwordProblem("x".repeat(300))).toBe("must be at most 256 characters");
    expect(passwordProblem("a perfectly fine passphrase")).toBeNull();
    expect(passwordProblem("correct horse battery", "b@bank.example")).toBeNull();
  });
});
