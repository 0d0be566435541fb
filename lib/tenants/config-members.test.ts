import { describe, expect, it } from "vitest";
import { nearMiss, unknownConfigMembers } from "@/lib/tenants/config-members";

describe("nearMiss", () => {
  const top = ["format", "exportedAt", "tenant", "rotationPolicy", "signing", "signingKeys"];
  it("finds the name meant by a part of it, a typo, a swapped pair or another case", () => {
    expect(nearMiss("keys", top)).toBe("signingKeys");
    expect(nearMiss("signingkeys", top)).toBe("signingKeys");
    expect(nearMiss("fromat", top)).toBe("format");
    expect(nearMiss("rotation", top)).toBe("rotationPolicy");
    expect(nearMiss("tennant", top)).toBe("tenant");
  });
  it("suggests nothing for an unrelated name or a very short one", () => {
    expect(nearMiss("comment", top)).toBeUndefined();
    expect(nearMiss("x", top)).toBeUndefined();
    expect(nearMiss("id", ["kid", "alg"])).toBe("kid");
  });
});

describe("unknownConfigMembers", () => {
  it("leaves free-form members alone: JWK members, app ids and non-objects", () => {
    expect(
      unknownConfigMembers({
        format: "keyward.tenant-config/v1",
        signing: { apps: { "any-app": "kid-1" } },
        signingKeys: [{ jwk: { kty: "RSA", n: "…", e: "AQAB", whatever: 1 } }, "not an object", { kid: "k", publicJwk: { kty: "RSA", x5c: [] } }],
      }),
    ).toEqual([]);
    expect(unknownConfigMembers("text")).toEqual([]);
    expect(unknownConfigMembers(null)).toEqual([]);
  });
});
