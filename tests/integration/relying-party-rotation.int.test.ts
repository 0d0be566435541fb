import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "@/lib/tenants/tenants";
import { createClient } from "@/lib/clients/clients";
import { rotateNow } from "@/lib/rotation/rotate";
import { updateRotationPolicy } from "@/lib/rotation/policy";
import { runRotationTick } from "@/lib/rotation/scheduler";
import { db } from "@/lib/db";
import { ADMIN, actorWith, uniq, startProtocolServer } from "@/tests/integration/helpers";

/**
 * A relying party that caches the JWKS exactly as long as Cache-Control
 * max-age allows and never refetches on an unknown kid (the strictest common
 * behaviour): through an automatic rotation with a seconds-long policy, every
 * token verifies when issued and until it expires.
 */
class CachingRelyingParty {
  private cache: { keys: ReturnType<typeof createLocalJWKSet>; until: number } | null = null;
  fetches = 0;
  unknownKid = 0;
  otherFailures: string[] = [];
  verified = 0;

  constructor(
    private readonly jwksUrl: string,
    private readonly issuer: string,
  ) {}

  private async keys() {
    if (this.cache && Date.now() < this.cache.until) return this.cache.keys;
    const res = await fetch(this.jwksUrl);
    if (res.status !== 200) throw new Error(`JWKS answered ${res.status}`);
    const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get("cache-control") ?? "")?.[1] ?? 0);
    const body = (await res.json()) as JSONWebKeySet;
    if (body.keys.length === 0) throw new Error("the JWKS was empty");
    this.fetches++;
    this.cache = { keys: createLocalJWKSet(body), until: Date.now() + maxAge * 1000 };
    return this.cache.keys;
  }

  async verify(token: string): Promise<void> {
    try {
      await jwtVerify(token, await this.keys(), { issuer: this.issuer, typ: "at+jwt", clockTolerance: 0 });
      this.verified++;
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_JWKS_NO_MATCHING_KEY") this.unknownKid++;
      else this.otherFailures.push((error as Error).message);
    }
  }
}

let closeServer: () => Promise<void>;
let base: string;

beforeAll(async () => {
  ({ base, close: closeServer } = await startProtocolServer());
});
afterAll(async () => {
  await closeServer();
});

describe("a relying party through automatic rotations", () => {
  it("verifies every token issued during rotations, with zero unknown-kid failures, and old tokens until they expire", { timeout: 90_000 }, async () => {
    const slug = (await createTenant(ADMIN, { slug: uniq("rp").replace(/-/g, "_"), name: "RP Bank", profile: "ob-uk" })).slug;
    // Seconds-long policy: JWKS cached 1 s, published 1 s (+ slack) before signing,
    // a new key every 4 s, retired keys kept 6 s, tokens valid 3 s.
    await updateRotationPolicy(ADMIN, slug, {
      jwksMaxAgeSeconds: 1,
      propagationSeconds: 1,
      retentionSeconds: 6,
      rotationIntervalSeconds: 4,
      accessTokenTtlSeconds: 3,
    });
    await rotateNow(actorWith("operator"), slug); // the first key signs at once
    const client = await createClient(actorWith("operator"), slug, { name: "RP test client", tokenEndpointAuthMethod: "client_secret_basic", grantTypes: ["client_credentials"] });
    const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
    const issuer = `http://keyward.test/${slug}`;
    const rps = [0, 1, 2].map(() => new CachingRelyingParty(`${base}/${slug}/oauth2/v1/certs`, issuer));

    let stop = false;
    const ticks = (async () => {
      while (!stop) {
        await runRotationTick();
        await new Promise((r) => setTimeout(r, 200));
      }
    })();

    const issued: { token: string; exp: number; kid: string }[] = [];
    const statuses = new Map<number, number>();
    const deadline = Date.now() + 20_000;
    let round = 0;
    while (Date.now() < deadline) {
      const res = await fetch(`${base}/${slug}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic },
        body: "grant_type=client_credentials",
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 200) {
        const { access_token: token } = (await res.json()) as { access_token: string };
        const exp = (JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { exp: number }).exp;
        issued.push({ token, exp, kid: decodeProtectedHeader(token).kid! });
        // Each relying party verifies the new token as it arrives...
        await Promise.all(rps.map((rp) => rp.verify(token)));
      }
      // ...and, now and then, every earlier token that has not expired yet.
      if (++round % 5 === 0) {
        const now = Date.now() / 1000;
        for (const t of issued.filter((i) => i.exp > now + 0.5)) await Promise.all(rps.map((rp) => rp.verify(t.token)));
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    stop = true;
    await ticks;

    const kids = [...new Set(issued.map((i) => i.kid))];
    expect(statuses.get(200)).toBe(issued.length);
    expect([...statuses.keys()]).toEqual([200]);
    // At least three keys signed in turn: two automatic rotations happened.
    expect(kids.length).toBeGreaterThanOrEqual(3);
    for (const rp of rps) {
      expect(rp.unknownKid).toBe(0);
      expect(rp.otherFailures).toEqual([]);
      expect(rp.fetches).toBeGreaterThan(5);
    }
    expect(rps.reduce((n, rp) => n + rp.verified, 0)).toBeGreaterThan(issued.length * 3);
    // The scheduler did it all, and said so.
    const bySystem = await db().auditEvent.findMany({ where: { tenantSlug: slug, actorLabel: "system" } });
    expect(bySystem.filter((e) => e.action === "key.rotate").length).toBeGreaterThanOrEqual(2);
    expect(bySystem.filter((e) => e.action === "key.activate").length).toBeGreaterThanOrEqual(2);
    expect(bySystem.filter((e) => e.action === "key.remove").length).toBeGreaterThanOrEqual(1);
  });
});
