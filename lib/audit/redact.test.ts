import { describe, expect, it } from "vitest";
import { redactSecrets } from "./redact";

describe("redactSecrets", () => {
  it("replaces secret-named members at any depth and keeps the rest", () => {
    const out = redactSecrets({
      email: "a@b.c",
      password: "hunter2hunter2",
      nested: { clientSecret: "s3cr3t", name: "x", list: [{ token: "t" }] },
    });
    expect(out).toEqual({
      email: "a@b.c",
      password: "[redacted]",
      nested: { clientSecret: "[redacted]", name: "x", list: [{ token: "[redacted]" }] },
    });
  });

  it("removes private JWK members and PEM private keys", () => {
    const out = redactSecrets({ jwk: { kty: "RSA", n: "abc", e: "AQAB", d: "priv", p: "p", q: "q", dp: "1", dq: "2", qi: "3" }, pem: "-----BEGIN PRIVATE KEY-----\nMII…" }) as {
      jwk: Record<string, string>;
      pem: string;
    };
    expect(out.jwk).toEqual({ kty: "RSA", n: "abc", e: "AQAB", d: "[redacted]", p: "[redacted]", q: "[redacted]", dp: "[redacted]", dq: "[redacted]", qi: "[redacted]" });
    expect(out.pem).toBe("[redacted]");
  });

  it("serialises dates and bounds long strings", () => {
    const out = redactSecrets({ at: new Date("2026-01-01T00:00:00Z"), long: "x".repeat(3000) }) as { at: string; long: string };
    expect(out.at).toBe("2026-01-01T00:00:00.000Z");
    expect(out.long.length).toBe(2001);
  });
});
