/**
 * JWKs of every wrong shape through every place that takes keys: an IdP's,
 * a directory's and a client's inline JWKS, a client's single key, and a
 * JWKS served at a jwks_uri (a loopback test server) and fetched by the
 * Test button. Inline keys are refused naming the key and the member; a
 * served key is dropped with a warning naming it (or the whole set refused
 * when it leaks private members). Nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant } from "@/lib/tenants/tenants";
import { createIdentityProvider } from "@/lib/idps/identity-providers";
import { testJwksUri } from "@/lib/idps/idp-keys";
import { createDirectory } from "@/lib/directories/directories";
import { createClient } from "@/lib/clients/clients";
import { addClientKey } from "@/lib/clients/client-keys";
import { startTestJwksServer, type TestJwksServer } from "@/lib/jwks-fetch/test-jwks-server";
import { ADMIN, actorWith, startProtocolServer, uniq } from "@/tests/integration/helpers";
import { expectRefused, expectServing } from "./helpers";
import { EC, jwkCases, RSA } from "./corpus/jwk";

const OPERATOR = actorWith("operator");
let base: string;
let close: () => Promise<void>;
let slug: string;
let clientId: string;
let server: TestJwksServer;

async function counts() {
  const t = await db().tenant.findUniqueOrThrow({ where: { slug }, include: { identityProviders: true, directories: true, clients: true } });
  return { idps: t.identityProviders.length, directories: t.directories.length, clients: t.clients.map((c) => c.jwks ?? "").sort() };
}

beforeAll(async () => {
  ({ base, close } = await startProtocolServer());
  server = await startTestJwksServer({ host: "127.0.0.2" });
  slug = (await createTenant(ADMIN, { slug: uniq("jwk").replace(/-/g, "_"), name: "Hostile JWK Bank" })).slug;
  clientId = (await createClient(OPERATOR, slug, { name: "JWK TPP", tokenEndpointAuthMethod: "private_key_jwt", jwks: { keys: [{ ...EC, kid: "first" }] } })).clientId;
});
afterAll(async () => {
  await server.close();
  await close();
});

const intakes: [string, (jwk: Record<string, unknown>) => Promise<unknown>, RegExp][] = [
  ["an identity provider's inline JWKS", (jwk) => createIdentityProvider(OPERATOR, slug, { name: uniq("https://idp.example/"), jwks: { keys: [RSA, jwk] } }), /^jwks\.keys\.1(\.kid)?$/],
  ["a directory's inline JWKS", (jwk) => createDirectory(OPERATOR, slug, { kind: "external", name: uniq("dir"), issuer: uniq("iss"), environment: "sandbox", jwks: { keys: [jwk] } }), /^jwks\.keys\.0(\.kid)?$/],
  ["a new client's JWKS", (jwk) => createClient(OPERATOR, slug, { name: uniq("tpp"), tokenEndpointAuthMethod: "private_key_jwt", jwks: { keys: [jwk] } }), /^jwks\.keys\.0(\.kid)?$/],
  ["a key added to a client", (jwk) => addClientKey(OPERATOR, slug, clientId, { jwk }), /^jwk$/],
];

for (const [title, call, path] of intakes) {
  describe(title, () => {
    let before: Awaited<ReturnType<typeof counts>>;
    beforeAll(async () => {
      before = await counts();
    });
    for (const c of jwkCases()) {
      it(`refuses ${c.name}`, async () => {
        await expectRefused(call(c.jwk), { says: c.says, path }, c.name);
      });
    }
    it("refuses a set with one kid twice", async () => {
      if (title === "a key added to a client") {
        await expectRefused(addClientKey(OPERATOR, slug, clientId, { jwk: { ...RSA, kid: "first" } }), { says: /already has a key with kid "first"/ }, "kid twice");
        return;
      }
      const twice = { keys: [{ ...RSA, kid: "same" }, { ...EC, kid: "same" }] };
      const make =
        title === "a directory's inline JWKS"
          ? createDirectory(OPERATOR, slug, { kind: "external", name: uniq("dir"), issuer: uniq("iss"), environment: "sandbox", jwks: twice })
          : title === "a new client's JWKS"
            ? createClient(OPERATOR, slug, { name: uniq("tpp"), tokenEndpointAuthMethod: "private_key_jwt", jwks: twice })
            : createIdentityProvider(OPERATOR, slug, { name: uniq("https://idp.example/"), jwks: twice });
      await expectRefused(make, { says: /"same" appears twice/, path: "jwks.keys.1.kid" }, "kid twice");
    });
    it("stored nothing and still serves its JWKS", async () => {
      expect(await counts()).toEqual(before);
      await expectServing(base, slug);
    });
  });
}

describe("a JWKS served at a jwks_uri, fetched by the Test button", () => {
  const served = jwkCases().filter((c) => !/1 MB/.test(c.name));
  for (const c of served) {
    it(`drops or refuses ${c.name}`, async () => {
      server.behave({ kind: "body", body: JSON.stringify({ keys: [RSA, c.jwk] }), contentType: "application/json" });
      let result: Awaited<ReturnType<typeof testJwksUri>> | null = null;
      try {
        result = await testJwksUri(OPERATOR, { jwksUri: server.jwksUrl });
      } catch (error) {
        // A set that leaks a private member is refused whole, naming the key: an upstream fault (502).
        expect(/private member|oct key/.test(c.name), `${c.name}: ${(error as Error).message}`).toBe(true);
        expect(error).toMatchObject({ code: "upstream_failed", message: expect.stringMatching(/publishes private key material/) });
        return;
      }
      expect(/private member|oct key/.test(c.name), `${c.name}: a leaked private member must refuse the whole set`).toBe(false);
      expect(result.keys.map((k) => k.kid)).toEqual([RSA.kid]);
      expect(result.warnings.join("\n"), c.name).toMatch(/; ignored/);
    });
  }
  it("refuses a 1 MB key past the fetch's size limit, naming the limit", async () => {
    const huge = jwkCases().find((c) => /1 MB/.test(c.name))!;
    server.behave({ kind: "body", body: JSON.stringify({ keys: [huge.jwk] }), contentType: "application/json" });
    await expect(testJwksUri(OPERATOR, { jwksUri: server.jwksUrl })).rejects.toMatchObject({ code: "upstream_failed", message: expect.stringMatching(/larger than|bytes/) });
  });
  it("refuses a JWKS with a member twice, or nested without end", async () => {
    server.behave({ kind: "body", body: `{"keys":[${JSON.stringify(EC)}],"keys":[]}`, contentType: "application/json" });
    await expect(testJwksUri(OPERATOR, { jwksUri: server.jwksUrl })).rejects.toMatchObject({ code: "upstream_failed", message: expect.stringMatching(/"keys" appears twice/) });
    server.behave({ kind: "body", body: `{"keys":${"[".repeat(5000)}${"]".repeat(5000)}}`, contentType: "application/json" });
    await expect(testJwksUri(OPERATOR, { jwksUri: server.jwksUrl })).rejects.toMatchObject({ code: "upstream_failed", message: expect.stringMatching(/nested more than 64 levels/) });
    server.behave({ kind: "jwks" });
    await expectServing(base, slug);
  });
});
