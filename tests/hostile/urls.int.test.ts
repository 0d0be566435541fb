/**
 * jwks_uri values aimed inside the network, through every place that takes
 * one (an IdP, a directory, a client, and the Test buttons' services), plus
 * the two ways round a URL check: a redirect from an allowed host (the
 * loopback test server on 127.0.0.2) to a forbidden one, and a name that
 * resolves to a forbidden address (the resolver the outbound lookup uses,
 * intercepted). Every refusal is a 400 naming the field and the address, or
 * for a fetch an upstream error naming the refused hop; nothing is stored
 * and nothing forbidden is connected to.
 */
import dns from "node:dns";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { createTenant } from "@/lib/tenants/tenants";
import { createIdentityProvider } from "@/lib/idps/identity-providers";
import { refreshIdentityProviderKeys, testJwksUri } from "@/lib/idps/idp-keys";
import { createDirectory, refreshDirectoryKeys } from "@/lib/directories/directories";
import { createClient } from "@/lib/clients/clients";
import { refreshClientKeys } from "@/lib/clients/client-keys";
import { startTestJwksServer, type TestJwksServer } from "@/lib/jwks-fetch/test-jwks-server";
import { ADMIN, actorWith, startProtocolServer, uniq } from "@/tests/integration/helpers";
import { expectRefused, expectServing } from "./helpers";
import { urlCases } from "./corpus/urls";

const OPERATOR = actorWith("operator");
let base: string;
let close: () => Promise<void>;
let slug: string;
let server: TestJwksServer;

async function counts() {
  const t = await db().tenant.findUniqueOrThrow({ where: { slug }, include: { identityProviders: true, directories: true, clients: true } });
  return { idps: t.identityProviders.length, directories: t.directories.length, clients: t.clients.length };
}

beforeAll(async () => {
  ({ base, close } = await startProtocolServer());
  server = await startTestJwksServer({ host: "127.0.0.2" });
  slug = (await createTenant(ADMIN, { slug: uniq("url").replace(/-/g, "_"), name: "Hostile URL Bank" })).slug;
});
afterAll(async () => {
  await server.close();
  await close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const intakes: [string, (url: string) => Promise<unknown>][] = [
  ["an identity provider's jwks_uri", (url) => createIdentityProvider(OPERATOR, slug, { name: uniq("https://idp.example/"), jwksUri: url })],
  ["a directory's jwks_uri", (url) => createDirectory(OPERATOR, slug, { kind: "external", name: uniq("dir"), issuer: uniq("iss"), environment: "sandbox", jwksUri: url })],
  ["a client's jwks_uri", (url) => createClient(OPERATOR, slug, { name: uniq("tpp"), tokenEndpointAuthMethod: "private_key_jwt", jwksUri: url })],
  ["the Test button (test-jwks-uri)", (url) => testJwksUri(OPERATOR, { jwksUri: url })],
];

for (const [title, call] of intakes) {
  describe(title, () => {
    let before: Awaited<ReturnType<typeof counts>>;
    beforeAll(async () => {
      before = await counts();
    });
    for (const c of urlCases()) {
      it(`refuses ${c.name}`, async () => {
        await expectRefused(call(c.url), { says: c.says, path: "jwksUri", status: 400 }, c.name);
      });
    }
    it("stored nothing and still serves", async () => {
      expect(await counts()).toEqual(before);
      await expectServing(base, slug);
    });
  });
}

describe("a redirect from an allowed host to a forbidden one", () => {
  const targets: [string, string, RegExp][] = [
    ["the metadata service", "http://169.254.169.254/latest/meta-data/", /redirect target points at 169\.254\.169\.254, a link-local\/metadata address|https to plain http/],
    ["the metadata service over https", "https://169.254.169.254/jwks", /redirect target points at 169\.254\.169\.254, a link-local\/metadata address/],
    ["loopback", "http://127.0.0.1:9/jwks", /redirect target points at 127\.0\.0\.1, a loopback address/],
    ["IPv6 loopback", "http://[::1]:9/jwks", /redirect target points at ::1, a loopback address/],
    ["IPv4-mapped loopback", "http://[::ffff:127.0.0.1]:9/jwks", /redirect target points at ::ffff:7f00:1|loopback/],
    ["localhost", "http://localhost:9/jwks", /redirect target points at localhost, a name that always means this machine/],
    ["a private address", "http://10.0.0.1/jwks", /redirect target points at 10\.0\.0\.1, a private address/],
    ["userinfo", "http://a@127.0.0.2:1/jwks", /redirect target must not contain a user name or password/],
    ["a file URL", "file:///etc/passwd", /redirect target must use https \(file: URLs are not fetched\)/],
  ];
  for (const [name, location, says] of targets) {
    it(`refuses a 302 to ${name}, in the Test button and the stored sources' refresh`, async () => {
      const uri = `${server.origin}/redirect-to?location=${encodeURIComponent(location)}`;
      await expectRefused(testJwksUri(OPERATOR, { jwksUri: uri }), { says, path: "jwksUri", status: 400 }, name);
      const idp = await createIdentityProvider(OPERATOR, slug, { name: uniq("https://idp.example/"), jwksUri: uri });
      await expect(refreshIdentityProviderKeys(OPERATOR, slug, idp.id)).rejects.toMatchObject({ message: expect.stringMatching(says) });
      const directory = await createDirectory(OPERATOR, slug, { kind: "external", name: uniq("dir"), issuer: uniq("iss"), environment: "sandbox", jwksUri: uri });
      await expect(refreshDirectoryKeys(OPERATOR, slug, directory.id)).rejects.toMatchObject({ message: expect.stringMatching(says) });
      const client = await createClient(OPERATOR, slug, { name: uniq("tpp"), tokenEndpointAuthMethod: "private_key_jwt", jwksUri: uri });
      await expect(refreshClientKeys(OPERATOR, slug, client.clientId)).rejects.toMatchObject({ code: "upstream_failed", message: expect.stringMatching(says) });
    });
  }
});

describe("a name that resolves to a forbidden address", () => {
  const answers: [string, { address: string; family: number }[], RegExp][] = [
    ["127.0.0.1", [{ address: "127.0.0.1", family: 4 }], /resolves to 127\.0\.0\.1, a loopback address/],
    ["::1", [{ address: "::1", family: 6 }], /resolves to ::1, a loopback address/],
    ["the metadata service", [{ address: "169.254.169.254", family: 4 }], /resolves to 169\.254\.169\.254, a link-local\/metadata address/],
    ["an IPv4-mapped loopback", [{ address: "::ffff:127.0.0.1", family: 6 }], /resolves to ::ffff:127\.0\.0\.1, a loopback address/],
    ["a private and a loopback address", [{ address: "10.1.1.1", family: 4 }, { address: "127.0.0.1", family: 4 }], /resolves to 10\.1\.1\.1, a private address and 127\.0\.0\.1, a loopback address/],
    ["nothing", [], /resolves to no address/],
  ];
  for (const [name, addresses, says] of answers) {
    it(`refuses a host that resolves to ${name}`, async () => {
      const lookup = vi.spyOn(dns, "lookup").mockImplementation(((hostname: string, options: unknown, callback: (e: Error | null, a: unknown) => void) => {
        expect(hostname).toBe("jwks.rebind.test");
        callback(null, addresses);
      }) as unknown as typeof dns.lookup);
      await expectRefused(testJwksUri(OPERATOR, { jwksUri: "https://jwks.rebind.test/jwks" }), { says, path: "jwksUri", status: 400 }, name);
      expect(lookup).toHaveBeenCalled();
    });
  }
});
