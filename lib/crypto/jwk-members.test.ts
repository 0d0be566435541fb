import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { onlyPublicMembers } from "./jwk-members";

const PRIVATE = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const PUBLIC = ["kty", "kid", "use", "alg", "n", "e", "crv", "x", "y", "x5c", "x5t", "x5t#S256"];

describe("the JWKS allow-list", () => {
  it("never lets a private member through, whatever the stored JWK holds", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(fc.constantFrom(...PRIVATE, ...PUBLIC), fc.string()), fc.jsonValue()),
        (jwk) => {
          const out = onlyPublicMembers(jwk);
          for (const m of PRIVATE) expect(out).not.toHaveProperty(m);
          for (const key of Object.keys(out)) expect(PUBLIC.concat(["key_ops", "x5u"])).toContain(key);
          for (const m of PUBLIC) if (Object.hasOwn(jwk, m)) expect(out[m]).toEqual(jwk[m]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
