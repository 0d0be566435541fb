// The token endpoint keeps clients and identity providers in memory
// (lib/protocol/trusted-parties.ts). Two real Keyward processes on one
// PostgreSQL database: what an operator changes through one instance's API,
// the other instance's token endpoint honours within POLL_MS (the bound its
// JWKS has): a suspended or deleted client gets no more tokens there, a
// reactivated one gets them again, a disabled IdP's assertions are refused;
// and an assertion used on one instance is refused on the other.

import { randomBytes, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { POLL_MS } from "@/lib/protocol/poll-interval";
import { requestInstance, twoInstancesOnOneDatabase, type Instance } from "./instances";

const API_TOKEN = `kw_mi_${randomBytes(24).toString("hex")}`;
const PUBLIC_URL = "http://keyward-mi.test";
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** The re-read of the tenant table and the requests themselves, on a busy test machine. */
const SLACK_MS = 500;

async function api<T>(inst: Instance, status: number, method: string, pathname: string, body?: unknown): Promise<T> {
  const res = await requestInstance(inst, API_TOKEN, method, pathname, body);
  const text = await res.text();
  if (res.status !== status) throw new Error(`${method} ${pathname} on ${inst.name}: expected ${status}, got ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

describe("clients and identity providers changed on one instance", () => {
  const mi = twoInstancesOnOneDatabase("mitrust", {
    KEYWARD_PUBLIC_URL: PUBLIC_URL,
    KEYWARD_BOOTSTRAP_API_TOKEN: API_TOKEN,
    KEYWARD_SCHEDULER: "off",
    LOG_LEVEL: "warn",
  });
  let a: Instance;
  let b: Instance;

  beforeAll(() => {
    ({ a, b } = mi);
  });

  it("the other instance's token endpoint follows within POLL_MS", async () => {
    const slug = `mi-trust-${randomBytes(4).toString("hex")}`;
    await api(a, 201, "POST", "/api/v1/tenants", { slug, name: `Trust ${slug}`, profile: "generic" });
    const key = await api<{ kid: string }>(a, 201, "POST", `/api/v1/tenants/${slug}/keys`, { source: "generate", alg: "ES256" });
    await api(a, 200, "POST", `/api/v1/tenants/${slug}/keys/${encodeURIComponent(key.kid)}/activate`, { force: true, reason: "multi-instance test" });
    const client = await api<{ clientId: string; clientSecret: string }>(a, 201, "POST", `/api/v1/tenants/${slug}/clients`, {
      name: "TPP",
      tokenEndpointAuthMethod: "client_secret_basic",
      grantTypes: ["client_credentials", JWT_BEARER],
    });
    const idpKeys = await generateKeyPair("ES256");
    const idpName = `https://idp-${randomBytes(3).toString("hex")}.example`;
    const idp = await api<{ id: string; audience: string }>(a, 201, "POST", `/api/v1/tenants/${slug}/identity-providers`, {
      name: idpName,
      jwks: { keys: [{ ...(await exportJWK(idpKeys.publicKey)), kid: "idp-1", alg: "ES256" }] },
      allowedAlgs: ["ES256"],
    });

    const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
    const token = async (inst: Instance, form: Record<string, string>) => {
      const res = await fetch(`${inst.url}/${slug}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(10_000),
      });
      return { status: res.status, body: (await res.json()) as { error?: string; error_description?: string } };
    };
    const credentials = (inst: Instance) => token(inst, { grant_type: "client_credentials" });
    const assertion = async () => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: idpName, sub: "psu-1", aud: idp.audience, iat: now, exp: now + 120, jti: randomUUID() }).setProtectedHeader({ alg: "ES256", kid: "idp-1" }).sign(idpKeys.privateKey);
    };
    const bearer = async (inst: Instance, jwt?: string) => token(inst, { grant_type: JWT_BEARER, assertion: jwt ?? (await assertion()) });

    /** Polls `inst` every 50 ms until `done`; answers the time since `since`, or fails after 4 × POLL_MS. */
    const lagUntil = async <T>(since: number, attempt: () => Promise<T>, done: (answer: T) => boolean, what: string): Promise<number> => {
      for (;;) {
        const answer = await attempt();
        if (done(answer)) return performance.now() - since;
        if (performance.now() - since > 4 * POLL_MS) throw new Error(`${what}: still ${JSON.stringify(answer).slice(0, 200)} ${4 * POLL_MS} ms after the change`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    // b learns of the new tenant within its poll interval, then holds the client and the IdP.
    await lagUntil(performance.now(), () => credentials(b), (r) => r.status === 200, "the new tenant on b");
    expect((await bearer(b)).status).toBe(200);
    expect((await credentials(b)).status).toBe(200);

    // An assertion used on a is refused on b.
    const once = await assertion();
    expect((await bearer(a, once)).status).toBe(200);
    expect((await bearer(b, once)).body).toEqual({ error: "invalid_grant", error_description: "jti: this assertion was already used" });

    await api(a, 200, "PATCH", `/api/v1/tenants/${slug}/clients/${client.clientId}`, { status: "suspended" });
    const suspended = await lagUntil(performance.now(), () => credentials(b), (r) => r.status === 401, "suspended on a");
    expect(suspended).toBeLessThanOrEqual(POLL_MS + SLACK_MS);
    expect((await credentials(b)).body.error_description).toBe(`client "${client.clientId}" is suspended`);

    await api(a, 200, "PATCH", `/api/v1/tenants/${slug}/clients/${client.clientId}`, { status: "active" });
    const reactivated = await lagUntil(performance.now(), () => credentials(b), (r) => r.status === 200, "reactivated on a");
    expect(reactivated).toBeLessThanOrEqual(POLL_MS + SLACK_MS);

    await api(a, 200, "PATCH", `/api/v1/tenants/${slug}/identity-providers/${idp.id}`, { enabled: false });
    const disabled = await lagUntil(performance.now(), () => bearer(b), (r) => r.status === 400, "IdP disabled on a");
    expect(disabled).toBeLessThanOrEqual(POLL_MS + SLACK_MS);
    expect((await bearer(b)).body.error_description).toBe(`iss: the identity provider "${idpName}" is disabled`);

    await api(a, 204, "DELETE", `/api/v1/tenants/${slug}/clients/${client.clientId}`);
    const deleted = await lagUntil(performance.now(), () => credentials(b), (r) => r.status === 401, "deleted on a");
    expect(deleted).toBeLessThanOrEqual(POLL_MS + SLACK_MS);
    expect((await credentials(b)).body.error_description).toBe(`no client "${client.clientId}" in this tenant`);
  });
});
