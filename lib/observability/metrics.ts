import client from "prom-client";
import { db } from "@/lib/db";

/**
 * Prometheus metrics (prom-client), one registry per process on globalThis
 * (the custom server and Next's bundle share it). Served at `GET /metrics`
 * when KEYWARD_METRICS_TOKEN is set (lib/protocol/router.ts).
 *
 * The public endpoints are the hot path: their counters and histograms are
 * bound to their labels once, so a request costs two cheap updates.
 */
export type PublicEndpoint = "jwks" | "jwks_app" | "discovery" | "token" | "register";

export interface Metrics {
  registry: client.Registry;
  request(endpoint: PublicEndpoint, status: number, seconds: number): void;
  jwksFetch(uri: string, outcome: string): void;
  jwksLookup(result: "fresh" | "stale" | "fetch"): void;
  token(grant: string, outcome: string): void;
  registration(outcome: string): void;
  schedulerTick(outcome: "performed" | "idle" | "standby" | "error", transitions: { type: string }[]): void;
}

const g = globalThis as unknown as { __keywardMetrics?: Metrics };

function create(): Metrics {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service: "keyward" });
  client.collectDefaultMetrics({ register: registry, prefix: "keyward_" });
  const registers = [registry];

  const requests = new client.Counter({
    name: "keyward_public_requests_total",
    help: "Requests to the public protocol endpoints, by endpoint and HTTP status",
    labelNames: ["endpoint", "status"] as const,
    registers,
  });
  const latency = new client.Histogram({
    name: "keyward_public_request_duration_seconds",
    help: "Time to answer the public protocol endpoints, by endpoint",
    labelNames: ["endpoint"] as const,
    buckets: [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const fetches = new client.Counter({
    name: "keyward_jwks_fetches_total",
    help: "Fetches of remote JWKS (identity providers, clients, directories), by host and outcome",
    labelNames: ["host", "outcome"] as const,
    registers,
  });
  const lookups = new client.Counter({
    name: "keyward_jwks_cache_lookups_total",
    help: "Remote JWKS cache lookups: fresh (hit), stale (hit, refreshing) or fetch (miss)",
    labelNames: ["result"] as const,
    registers,
  });
  const tokens = new client.Counter({
    name: "keyward_tokens_total",
    help: "Token endpoint answers by grant type and outcome (issued, or the OAuth error)",
    labelNames: ["grant", "outcome"] as const,
    registers,
  });
  const registrations = new client.Counter({
    name: "keyward_dcr_registrations_total",
    help: "Dynamic Client Registration answers by outcome (registered, or the RFC 7591 error)",
    labelNames: ["outcome"] as const,
    registers,
  });
  const ticks = new client.Counter({
    name: "keyward_scheduler_ticks_total",
    help: "Rotation scheduler ticks of this process: performed, idle, standby (another instance holds the lease), error",
    labelNames: ["outcome"] as const,
    registers,
  });
  const transitions = new client.Counter({
    name: "keyward_scheduler_transitions_total",
    help: "Key transitions the scheduler performed, by type",
    labelNames: ["type"] as const,
    registers,
  });
  new client.Gauge({
    name: "keyward_signing_key_age_seconds",
    help: "Seconds since each active signing key was activated, per tenant and scope",
    labelNames: ["tenant", "scope", "kid"] as const,
    registers,
    async collect() {
      this.reset();
      for (const k of await activeKeys()) {
        if (k.activatedAt) this.set({ tenant: k.tenant.slug, scope: k.appId ?? "tenant", kid: k.kid }, (Date.now() - k.activatedAt.getTime()) / 1000);
      }
    },
  });
  new client.Gauge({
    name: "keyward_signing_key_certificate_expiry_days",
    help: "Days until the certificate of each active signing key expires (negative: expired)",
    labelNames: ["tenant", "scope", "kid"] as const,
    registers,
    async collect() {
      this.reset();
      for (const k of await activeKeys()) {
        if (k.certNotAfter) this.set({ tenant: k.tenant.slug, scope: k.appId ?? "tenant", kid: k.kid }, (k.certNotAfter.getTime() - Date.now()) / 86_400_000);
      }
    },
  });

  // Bound once per label set: the hot path does no label hashing.
  const bound = new Map<string, { count: client.Counter.Internal; time: client.Histogram.Internal<"endpoint"> }>();
  const boundCounter = <L extends string>(counter: client.Counter<L>) => {
    const children = new Map<string, client.Counter.Internal>();
    return (...values: string[]) => {
      const key = values.join("\u0000");
      let child = children.get(key);
      if (!child) {
        child = counter.labels(...values);
        children.set(key, child);
      }
      child.inc();
    };
  };
  const countLookup = boundCounter(lookups);
  const countToken = boundCounter(tokens);
  return {
    registry,
    request(endpoint, status, seconds) {
      const key = `${endpoint}\u0000${status}`;
      let b = bound.get(key);
      if (!b) {
        b = { count: requests.labels(endpoint, String(status)), time: latency.labels(endpoint) };
        bound.set(key, b);
      }
      b.count.inc();
      b.time.observe(seconds);
    },
    jwksFetch(uri, outcome) {
      let host = "invalid";
      try {
        host = new URL(uri).host;
      } catch {
        // counted under "invalid"
      }
      fetches.labels(host, outcome).inc();
    },
    jwksLookup(result) {
      countLookup(result);
    },
    token(grant, outcome) {
      countToken(grant, outcome);
    },
    registration(outcome) {
      registrations.labels(outcome).inc();
    },
    schedulerTick(outcome, done) {
      ticks.labels(outcome).inc();
      for (const t of done) transitions.labels(t.type).inc();
    },
  };
}

async function activeKeys() {
  return db().signingKey.findMany({
    where: { state: "active" },
    select: { kid: true, appId: true, activatedAt: true, certNotAfter: true, tenant: { select: { slug: true } } },
    take: 10_000,
  });
}

/** The process's metrics. */
export function metrics(): Metrics {
  g.__keywardMetrics ??= create();
  return g.__keywardMetrics;
}
