import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const KEK = Buffer.alloc(32, 7).toString("base64url");
const SECRET = "s".repeat(48);

describe("environment", () => {
  it("applies the documented defaults", () => {
    const e = parseEnv({ KEYWARD_KEK: KEK, AUTH_SECRET: SECRET });
    expect(e).toMatchObject({
      databaseUrl: "file:./data/keyward.db",
      port: 3000,
      publicUrl: "http://localhost:3000",
      kekSource: "env",
      authSecretSource: "env",
      outboundAllow: [],
      sessionMaxAgeSeconds: 28800,
      secureCookies: false,
      trustProxy: false,
      jwksMaxStalenessSeconds: 86400,
    });
    expect(e.kek.length).toBe(32);
  });

  it("derives the public URL from the port, trims its slash, and sees https", () => {
    expect(parseEnv({ KEYWARD_KEK: KEK, AUTH_SECRET: SECRET, PORT: "8080" }).publicUrl).toBe("http://localhost:8080");
    const e = parseEnv({ KEYWARD_KEK: KEK, AUTH_SECRET: SECRET, KEYWARD_PUBLIC_URL: "https://keys.bank.example/" });
    expect(e.publicUrl).toBe("https://keys.bank.example");
    expect(e.secureCookies).toBe(true);
  });

  it("reads how long fetched keys outlive a failing upstream, 0 for not at all", () => {
    expect(parseEnv({ KEYWARD_KEK: KEK, AUTH_SECRET: SECRET, KEYWARD_JWKS_MAX_STALENESS_SECONDS: "3600" }).jwksMaxStalenessSeconds).toBe(3600);
    expect(parseEnv({ KEYWARD_KEK: KEK, AUTH_SECRET: SECRET, KEYWARD_JWKS_MAX_STALENESS_SECONDS: "0" }).jwksMaxStalenessSeconds).toBe(0);
  });

  it("splits the outbound allow-list", () => {
    expect(parseEnv({ KEYWARD_KEK: KEK, AUTH_SECRET: SECRET, KEYWARD_OUTBOUND_ALLOW: "10.0.0.0/8, idp.internal  127.0.0.1" }).outboundAllow).toEqual([
      "10.0.0.0/8",
      "idp.internal",
      "127.0.0.1",
    ]);
  });

  it("names each bad variable", () => {
    const attempt = (extra: Record<string, string>) => {
      try {
        parseEnv({ KEYWARD_KEK: KEK, AUTH_SECRET: SECRET, ...extra });
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(EnvError);
        return (error as EnvError).problems;
      }
    };
    expect(attempt({ DATABASE_URL: "mysql://db" })[0]).toMatch(/^DATABASE_URL: must be file:/);
    expect(attempt({ KEYWARD_PUBLIC_URL: "ftp://x" })[0]).toMatch(/^KEYWARD_PUBLIC_URL/);
    expect(attempt({ KEYWARD_BOOTSTRAP_ADMIN_PASSWORD: "short" })[0]).toMatch(/^KEYWARD_BOOTSTRAP_ADMIN_PASSWORD: must be at least 12/);
    expect(attempt({ KEYWARD_BOOTSTRAP_ADMIN_PASSWORD: "long enough password" })[0]).toMatch(/set KEYWARD_BOOTSTRAP_ADMIN_EMAIL too/);
    expect(attempt({ KEYWARD_KEK: "not-a-kek" })[0]).toMatch(/^KEYWARD_KEK: must be 32 bytes/);
    expect(attempt({ AUTH_SECRET: "short" })[0]).toMatch(/^AUTH_SECRET: must be at least 32/);
    expect(attempt({ KEYWARD_JWKS_MAX_STALENESS_SECONDS: "-1" })[0]).toMatch(/^KEYWARD_JWKS_MAX_STALENESS_SECONDS: /);
    expect(attempt({ KEYWARD_JWKS_MAX_STALENESS_SECONDS: "1 day" })[0]).toMatch(/^KEYWARD_JWKS_MAX_STALENESS_SECONDS: /);
    expect(attempt({ KEYWARD_JWKS_MAX_STALENESS_SECONDS: "604801" })[0]).toMatch(/^KEYWARD_JWKS_MAX_STALENESS_SECONDS: /);
  });
});
