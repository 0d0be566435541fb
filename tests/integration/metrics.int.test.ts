import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { createTenant } from "@/lib/tenants/tenants";
import { rotateNow } from "@/lib/rotation/rotate";
import { createClient } from "@/lib/clients/clients";
import { ADMIN, actorWith, uniq, startProtocolServer } from "./helpers";

const TOKEN = "metrics-token-0123456789abcdef";
let closeServer: () => Promise<void>;
let base: string;

beforeAll(async () => {
  ({ base, close: closeServer } = await startProtocolServer());
});
afterAll(async () => {
  delete process.env.KEYWARD_METRICS_TOKEN;
  resetEnvForTests();
  await closeServer();
});

const scrape = async (token?: string) => {
  const res = await fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
};
const value = (text: string, line: RegExp) => Number(text.split("\n").find((l) => line.test(l))?.split(" ").at(-1) ?? NaN);

describe("GET /metrics", () => {
  it("does not exist until a token is configured, then needs it", async () => {
    delete process.env.KEYWARD_METRICS_TOKEN;
    resetEnvForTests();
    expect((await scrape(TOKEN)).status).toBe(404);
    process.env.KEYWARD_METRICS_TOKEN = TOKEN;
    resetEnvForTests();
    expect((await scrape()).status).toBe(401);
    expect((await scrape("wrong-token-0123456789")).status).toBe(401);
    const ok = await scrape(TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.text).toContain("keyward_process_resident_memory_bytes");
  });

  it("counts public requests by endpoint and status, tokens by grant and outcome, and shows key ages", async () => {
    process.env.KEYWARD_METRICS_TOKEN = TOKEN;
    resetEnvForTests();
    const slug = (await createTenant(ADMIN, { slug: uniq("met").replace(/-/g, "_"), name: "Metrics Bank" })).slug;
    const key = await rotateNow(actorWith("operator"), slug);
    const client = await createClient(actorWith("operator"), slug, { name: "M", tokenEndpointAuthMethod: "client_secret_basic" });
    const before = await scrape(TOKEN);
    const jwks200 = /^keyward_public_requests_total\{endpoint="jwks",status="200",service="keyward"\}/;
    const issued = /^keyward_tokens_total\{grant="client_credentials",outcome="issued",service="keyward"\}/;
    const refused = /^keyward_tokens_total\{grant="client_credentials",outcome="invalid_client",service="keyward"\}/;
    for (let i = 0; i < 3; i++) await fetch(`${base}/${slug}/oauth2/v1/certs`);
    const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
    const form = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic }, body: "grant_type=client_credentials" };
    const ok = await fetch(`${base}/${slug}/oauth2/token`, form);
    expect(ok.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await fetch(`${base}/${slug}/oauth2/token`, { ...form, headers: { ...form.headers, authorization: "Basic eDp5", "x-request-id": "trace-abc-123" } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("x-request-id")).toBe("trace-abc-123");
    const after = await scrape(TOKEN);
    expect(value(after.text, jwks200) - (value(before.text, jwks200) || 0)).toBe(3);
    expect(value(after.text, issued) - (value(before.text, issued) || 0)).toBe(1);
    expect(value(after.text, refused) - (value(before.text, refused) || 0)).toBe(1);
    expect(after.text).toMatch(/keyward_public_request_duration_seconds_bucket\{le="0\.001",service="keyward",endpoint="jwks"\}/);
    expect(after.text).toMatch(new RegExp(`keyward_signing_key_age_seconds\\{tenant="${slug}",scope="tenant",kid="${key.kid}"`));
  });
});

describe("health", () => {
  it("is live while the process answers, and ready only with the database and, where it runs here, a ticking scheduler", async () => {
    const live = await import("@/app/api/v1/health/live/route");
    const ready = await import("@/app/api/v1/health/ready/route");
    const call = (h: typeof live.GET) => h(new Request("http://keyward.test/api/v1/health"), { params: Promise.resolve({}) });
    expect(await (await call(live.GET)).json()).toEqual({ status: "ok" });
    const readyNow = await call(ready.GET);
    expect(readyNow.status).toBe(200);
    expect(await readyNow.json()).toEqual({ ready: true, problems: [] });
    // An instance meant to run the scheduler, without it running, is not ready.
    process.env.KEYWARD_SCHEDULER = "on";
    resetEnvForTests();
    try {
      const notReady = await call(ready.GET);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ ready: false, problems: ["scheduler: not running in this process"] });
    } finally {
      process.env.KEYWARD_SCHEDULER = "off";
      resetEnvForTests();
    }
  });
});
