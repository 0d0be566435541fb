import { describe, expect, it } from "vitest";
import { checkOutboundUrl, forbiddenAddressReason, isForbiddenAddress, OutboundRefused, outboundLookup } from "./outbound-policy";

function refusal(fn: () => unknown): OutboundRefused {
  try {
    fn();
  } catch (error) {
    if (error instanceof OutboundRefused) return error;
    throw error;
  }
  throw new Error("expected OutboundRefused");
}

describe("isForbiddenAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["::1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.254", "private"],
    ["192.168.1.1", "private"],
    ["fd00::1", "private (unique local, fc00::/7)"],
    ["fd00:ec2::254", "private (unique local, fc00::/7)"],
    ["169.254.169.254", "link-local/metadata"],
    ["169.254.0.1", "link-local/metadata"],
    ["fe80::1", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["100.64.0.1", "carrier-grade NAT (100.64.0.0/10)"],
    ["100.127.255.254", "carrier-grade NAT (100.64.0.0/10)"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:169.254.169.254", "link-local/metadata"],
    ["::ffff:a9fe:a9fe", "link-local/metadata"],
    ["64:ff9b::a9fe:a9fe", "link-local/metadata"],
    ["2002:0a00:0001::", "private"],
    ["fec0::1", "site-local"],
  ])("refuses %s (%s)", (ip, kind) => {
    expect(isForbiddenAddress(ip, [])).toBe(true);
    expect(forbiddenAddressReason(ip, [])).toBe(kind);
  });

  it.each(["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("lets public %s through", (ip) => {
    expect(isForbiddenAddress(ip, [])).toBe(false);
  });

  it("honours addresses and CIDRs in the allow-list, including IPv4-mapped forms", () => {
    expect(isForbiddenAddress("127.0.0.1", ["127.0.0.1"])).toBe(false);
    expect(isForbiddenAddress("::ffff:127.0.0.1", ["127.0.0.1"])).toBe(false);
    expect(isForbiddenAddress("127.0.0.2", ["127.0.0.1"])).toBe(true);
    expect(isForbiddenAddress("10.20.30.40", ["10.0.0.0/8"])).toBe(false);
    expect(isForbiddenAddress("10.20.30.40", ["10.0.0.0/16"])).toBe(true);
    expect(isForbiddenAddress("fd12::5", ["fd12::/16"])).toBe(false);
    expect(isForbiddenAddress("::1", ["[::1]"])).toBe(false);
    // A host name entry says nothing about addresses.
    expect(isForbiddenAddress("127.0.0.1", ["localhost"])).toBe(true);
    // A CIDR that does not parse allows nothing.
    expect(isForbiddenAddress("10.0.0.1", ["10.0.0.0/99"])).toBe(true);
  });
});

describe("checkOutboundUrl", () => {
  it("accepts a public https URL and drops the fragment", () => {
    expect(checkOutboundUrl("https://idp.example/jwks#x", { allow: [] }).href).toBe("https://idp.example/jwks");
  });

  it("requires https for hosts not allowed", () => {
    const error = refusal(() => checkOutboundUrl("http://idp.example/jwks", { allow: [] }));
    expect(error.code).toBe("https_required");
    expect(error.message).toBe("jwks_uri must use https (plain http only for hosts in KEYWARD_OUTBOUND_ALLOW)");
  });

  it("allows plain http for an allowed host name or address", () => {
    expect(checkOutboundUrl("http://IdP.Internal:8080/jwks", { allow: ["idp.internal"] }).port).toBe("8080");
    expect(checkOutboundUrl("http://127.0.0.1:8080/jwks", { allow: ["127.0.0.1"] }).hostname).toBe("127.0.0.1");
    expect(checkOutboundUrl("http://10.1.2.3/jwks", { allow: ["10.0.0.0/8"] }).hostname).toBe("10.1.2.3");
  });

  it("refuses the metadata address, naming it and the setting", () => {
    const error = refusal(() => checkOutboundUrl("https://169.254.169.254/latest/meta-data", { allow: [] }));
    expect(error.code).toBe("forbidden_address");
    expect(error.message).toBe(
      "jwks_uri points at 169.254.169.254, a link-local/metadata address; add it to KEYWARD_OUTBOUND_ALLOW to allow it",
    );
  });

  it.each([
    ["https://127.0.0.1/jwks", "127.0.0.1, a loopback address"],
    ["https://2130706433/jwks", "127.0.0.1, a loopback address"],
    ["https://0x7f.1/jwks", "127.0.0.1, a loopback address"],
    ["https://[::1]/jwks", "::1, a loopback address"],
    ["https://[::ffff:10.0.0.1]/jwks", "::ffff:a00:1, a private address"],
    ["https://10.0.0.1/jwks", "10.0.0.1, a private address"],
    ["https://[fe80::1]/jwks", "fe80::1, a link-local address"],
    ["https://0.0.0.0/jwks", "0.0.0.0, an unspecified address"],
  ])("refuses the literal address in %s", (url, what) => {
    const error = refusal(() => checkOutboundUrl(url, { allow: [] }));
    expect(error.code).toBe("forbidden_address");
    expect(error.message).toContain(`points at ${what}`);
  });

  it("refuses credentials, other schemes and non-URLs", () => {
    expect(refusal(() => checkOutboundUrl("https://user:pw@idp.example/jwks", { allow: [] })).code).toBe("credentials_in_url");
    const scheme = refusal(() => checkOutboundUrl("file:///etc/passwd", { allow: [] }));
    expect(scheme.code).toBe("unsupported_scheme");
    expect(scheme.message).toBe("jwks_uri must use https (file: URLs are not fetched)");
    expect(refusal(() => checkOutboundUrl("ftp://idp.example/jwks", { allow: [] })).code).toBe("unsupported_scheme");
    expect(refusal(() => checkOutboundUrl("/jwks", { allow: [] })).code).toBe("invalid_url");
  });

  it("names the URL as told", () => {
    expect(refusal(() => checkOutboundUrl("http://x.example/", { allow: [], label: "directory URL" })).message).toMatch(/^directory URL must use https/);
  });
});

describe("outboundLookup", () => {
  const lookup = (allow: string[], host: string, all: boolean) =>
    new Promise<{ error: Error | null; address: unknown }>((resolve) => {
      outboundLookup({ allow })(host, { all }, (error, address) => resolve({ error, address }));
    });

  it("refuses a name that resolves only to forbidden addresses", async () => {
    const { error } = await lookup([], "localhost", true);
    expect(error).toBeInstanceOf(OutboundRefused);
    expect((error as OutboundRefused).code).toBe("forbidden_address");
    expect(error?.message).toMatch(/^jwks_uri host localhost resolves to .*a loopback address.*; add it to KEYWARD_OUTBOUND_ALLOW to allow it$/);
  });

  it("hands back only the allowed addresses", async () => {
    const { error, address } = await lookup(["127.0.0.1"], "localhost", true);
    expect(error).toBeNull();
    expect(address).toEqual([{ address: "127.0.0.1", family: 4 }]);
    const one = await lookup(["127.0.0.1"], "localhost", false);
    expect(one.address).toBe("127.0.0.1");
  });

  it("resolves a host allowed by name without checks", async () => {
    const { error, address } = await lookup(["localhost"], "localhost", true);
    expect(error).toBeNull();
    expect((address as { address: string }[]).map((a) => a.address)).toContain("127.0.0.1");
  });
});
