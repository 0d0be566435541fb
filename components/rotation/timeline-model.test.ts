import { describe, expect, it } from "vitest";
import type { RotationStatus } from "@/lib/rotation/status";
import { buildTimeline } from "@/components/rotation/timeline-model";
import { formatDuration, formatRelative, splitDuration } from "@/components/rotation/durations";

const DAY = 86_400_000;
const NOW = Date.parse("2025-06-01T12:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

function status(overrides: Partial<RotationStatus>): RotationStatus {
  return {
    now: iso(NOW),
    policy: {
      propagationSeconds: 86_400,
      effectivePropagationSeconds: 86_403,
      retentionSeconds: 7 * 86_400,
      rotationIntervalSeconds: 90 * 86_400,
      rotationIntervalDays: 90,
      algorithm: "PS256",
      algorithmIsDefault: true,
      autoActivate: true,
      jwksMaxAgeSeconds: 300,
      expiryWarningDays: 30,
      accessTokenTtlSeconds: 300,
      warnings: [],
      version: 1,
    },
    scopes: [],
    events: [],
    warnings: [],
    timeline: [],
    rotateNow: { possible: true, blockedBy: null, publishedAt: iso(NOW), activatesAt: iso(NOW + DAY), retiringKid: null, removesRetiringAt: null, stagedCandidates: [] },
    scheduler: { enabled: true, leaseHolder: "a", lastRenewedAt: iso(NOW), alive: true },
    ...overrides,
  };
}

const key = (kid: string, fields: Partial<RotationStatus["timeline"][number]>): RotationStatus["timeline"][number] => ({
  kid,
  appId: null,
  state: "staged",
  createdAt: iso(NOW),
  activatedAt: null,
  retiredAt: null,
  endedAt: null,
  activatesAt: null,
  removesAt: null,
  certNotAfter: null,
  ...fields,
});

describe("buildTimeline", () => {
  it("draws a rotation under way: the active key planned to retire and leave, the new key planned to sign", () => {
    const activatesAt = NOW + DAY;
    const removesAt = activatesAt + 7 * DAY;
    const model = buildTimeline(
      status({
        timeline: [
          key("old", { state: "active", createdAt: iso(NOW - 60 * DAY), activatedAt: iso(NOW - 60 * DAY) }),
          key("new", { state: "staged", createdAt: iso(NOW), activatesAt: iso(activatesAt) }),
        ],
        scopes: [{ appId: null, active: null, pending: { kid: "new", activatesAt: iso(activatesAt) }, nextEvent: null }],
        events: [
          { at: iso(activatesAt), kind: "activation", kid: "new", appId: null, label: '"new" starts signing' },
          { at: iso(removesAt), kind: "removal", kid: "old", appId: null, label: '"old" leaves the JWKS' },
        ],
      }),
    );
    const [old, next] = model.rows;
    expect(old!.segments.map((s) => [s.state, s.planned])).toEqual([
      ["active", false],
      ["active", true],
      ["retired", true],
    ]);
    expect(old!.segments.at(-1)!.to).toBe(removesAt);
    expect(old!.end).toBe("planned-removal");
    expect(next!.segments.map((s) => [s.state, s.planned])).toEqual([
      ["staged", true],
      ["active", true],
    ]);
    expect(next!.segments[0]!.to).toBe(activatesAt);
    expect(model.markers.map((m) => [m.n, m.row, m.beyond])).toEqual([
      [1, 1, false],
      [2, 0, false],
    ]);
    expect(model.start).toBeLessThan(NOW - 60 * DAY);
    expect(model.end).toBeGreaterThan(removesAt);
  });

  it("keeps a far certificate expiry out of the range, flagged beyond it", () => {
    const model = buildTimeline(
      status({
        timeline: [key("k", { state: "active", createdAt: iso(NOW - 10_000), activatedAt: iso(NOW - 10_000), certNotAfter: iso(NOW + 3 * 365 * DAY) })],
        scopes: [{ appId: null, active: null, pending: null, nextEvent: null }],
        events: [
          { at: iso(NOW + 90 * DAY), kind: "rotation", kid: null, appId: null, label: "automatic rotation stages a new key" },
          { at: iso(NOW + 3 * 365 * DAY), kind: "certificate-expiry", kid: "k", appId: null, label: 'the certificate of "k" expires' },
        ],
      }),
    );
    expect(model.end).toBeLessThan(NOW + 365 * DAY);
    expect(model.markers.map((m) => m.beyond)).toEqual([false, true]);
    // The automatic rotation sits on the key it replaces.
    expect(model.markers[0]!.row).toBe(0);
  });

  it("ends removed and revoked keys where they left, and labels a seconds-long range by the second", () => {
    const model = buildTimeline(
      status({
        timeline: [
          key("gone", { state: "removed", createdAt: iso(NOW - 40_000), activatedAt: iso(NOW - 30_000), retiredAt: iso(NOW - 20_000), endedAt: iso(NOW - 10_000) }),
          key("bad", { state: "revoked", createdAt: iso(NOW - 20_000), endedAt: iso(NOW - 5_000) }),
        ],
      }),
    );
    expect(model.rows[0]!.segments.map((s) => s.state)).toEqual(["staged", "active", "retired"]);
    expect(model.rows[0]!.end).toBe("removed");
    expect(model.rows[1]!.end).toBe("revoked");
    expect(model.ticks.length).toBeGreaterThan(2);
    expect(model.ticks[0]!.label).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(model.ticks[0]!.sublabel).toBe("Jun 1");
  });
});

describe("durations", () => {
  it("reads as people write them", () => {
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(5400)).toBe("1 h 30 min");
    expect(formatDuration(90 * 86_400)).toBe("90 days");
    expect(formatDuration(86_403)).toBe("1 day");
    expect(formatDuration(300, { long: true })).toBe("5 minutes");
    expect(formatRelative(NOW + 3_600_000, NOW)).toBe("in 1 h");
    expect(formatRelative(NOW - 90_000, NOW)).toBe("1 min 30 s ago");
  });

  it("opens a value-and-unit field on the largest whole unit", () => {
    expect(splitDuration(86_400)).toEqual({ value: 1, unit: "d" });
    expect(splitDuration(90)).toEqual({ value: 90, unit: "s" });
    expect(splitDuration(7200, ["h", "min", "s"])).toEqual({ value: 2, unit: "h" });
    expect(splitDuration(0)).toEqual({ value: 0, unit: "s" });
  });
});
