import { generateKeyPairSync, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "@/lib/tenants/tenants";
import { addSigningKey } from "@/lib/keys/add-key";
import { activateSigningKey } from "@/lib/keys/activate-key";
import { createIdentityProvider } from "@/lib/idps/identity-providers";
import { createClient } from "@/lib/clients/clients";
import { handleProtocolRequest } from "@/lib/protocol/router";
import { ADMIN, actorWith, uniq } from "./helpers";

/**
 * A real OpenID provider (oidc-provider, the certified implementation) on
 * loopback as the external IdP: its JWT access tokens, minted for our token
 * endpoint as the resource, are the assertions. It listens on 127.0.0.2, the
 * one loopback address the test run allows outbound fetches to.
 */
const OPERATOR = actorWith("operator");
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

interface RunningIdp {
  issuer: string;
  port: number;
  kid: string;
  close(): Promise<void>;
}

async function startIdp(audience: string, port = 0): Promise<RunningIdp> {
  const kid = `idp-${randomUUID().slice(0, 8)}`;
  const jwk = { ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }), kid, use: "sig", alg: "PS256" };
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(port, "127.0.0.2", r));
  const actual = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.2:${actual}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "keyward-it",
        client_secret: "keyward-it-secret-0123456789",
        grant_types: ["client_credentials"],
        redirect_uris: [],
        response_types: [],
        id_token_signed_response_alg: "PS256",
      },
    ],
    jwks: { keys: [jwk] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: "assert", audience, accessTokenFormat: "jwt", accessTokenTTL: 120, jwt: { sign: { alg: "PS256" } } }),
      },
    },
  });
  server.on("request", provider.callback());
  return {
    issuer,
    port: actual,
    kid,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

async function assertionFrom(idp: RunningIdp, audience: string): Promise<string> {
  const res = await fetch(`${idp.issuer}/token`, {
    method: "POST",
    headers: {
      // No keep-alive: the IdP restarts on the same port during the test.
      connection: "close",
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from("keyward-it:keyward-it-secret-0123456789").toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "client_credentials", resource: audience, scope: "assert" }).toString(),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`the IdP gave no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

let keyward: http.Server;
let base: string;
beforeAll(async () => {
  keyward = http.createServer((req, res) => {
    if (!handleProtocolRequest(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => keyward.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(keyward.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => keyward.close(() => r())));

describe("jwt-bearer with a real OpenID provider as the IdP", () => {
  it("accepts its access tokens as assertions, and its next key after a restart with no action in Keyward", async () => {
    const slug = (await createTenant(ADMIN, { slug: uniq("oidc").replace(/-/g, "_"), name: "OIDC" })).slug;
    const key = await addSigningKey(OPERATOR, slug, { source: "generate", alg: "ES256" });
    await activateSigningKey(OPERATOR, slug, key.kid);
    const audience = `http://keyward.test/${slug}/oauth2/token`;
    let idp = await startIdp(audience);
    try {
      await createIdentityProvider(OPERATOR, slug, { name: idp.issuer, jwksUri: `${idp.issuer}/jwks`, audience });
      const client = await createClient(OPERATOR, slug, { name: "TPP", tokenEndpointAuthMethod: "client_secret_basic", grantTypes: [JWT_BEARER] });
      const exchange = async (assertion: string) =>
        fetch(`${base}/${slug}/oauth2/token`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`,
          },
          body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
        });
      const first = await exchange(await assertionFrom(idp, audience));
      expect(first.status, await first.clone().text()).toBe(200);
      expect(((await first.json()) as { token_type: string }).token_type).toBe("Bearer");

      // The IdP restarts with a new signing key (same issuer).
      const port = idp.port;
      const oldKid = idp.kid;
      await idp.close();
      idp = await startIdp(audience, port);
      expect(idp.kid).not.toBe(oldKid);
      const rolled = await assertionFrom(idp, audience);
      const started = Date.now();
      let status = 0;
      let last = "";
      while (status !== 200 && Date.now() - started < 7000) {
        const res = await exchange(await assertionFrom(idp, audience));
        status = res.status;
        last = await res.text();
        if (status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      expect(status, last).toBe(200);
      expect(Date.now() - started).toBeLessThanOrEqual(6000);
      expect(rolled.split(".").length).toBe(3);
    } finally {
      await idp.close();
    }
  });
});
