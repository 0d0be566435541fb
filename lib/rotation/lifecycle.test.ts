import { describe, expect, it } from "vitest";
import {
  activationRefusal,
  dueTransitions,
  effectivePropagationSeconds,
  PUBLISH_SLACK_SECONDS,
  planRotation,
  plannedEvents,
  policyWarnings,
  removalRefusal,
  retireRefusal,
  revocationRefusal,
  type LifecycleKey,
  type RotationPolicy,
} from "./lifecycle";

const T0 = new Date("2026-06-01T00:00:00Z");
const s = (n: number) => new Date(T0.getTime() + n * 1000);
const DAY = 86_400;

const POLICY: RotationPolicy = {
  propagationSeconds: DAY,
  retentionSeconds: 7 * DAY,
  rotationIntervalSeconds: 90 * DAY,
  autoActivate: true,
  expiryWarningDays: 30,
  accessTokenTtlSeconds: 300,
  jwksMaxAgeSeconds: 300,
};

function key(over: Partial<LifecycleKey> = {}): LifecycleKey {
  return {
    kid: "k1",
    state: "staged",
    appId: null,
    source: "generate",
    createdAt: T0,
    activatedAt: null,
    retiredAt: null,
    activatesAt: null,
    removesAt: null,
    certNotBefore: null,
    certNotAfter: null,
    certSubject: null,
    certIssuer: null,
    hasPrivateKey: true,
    ...over,
  };
}

const ready = DAY + PUBLISH_SLACK_SECONDS;

describe("activation", () => {
  const ctx = (now: Date, over: Partial<{ scopeHasActive: boolean; force: boolean; policy: RotationPolicy }> = {}) => ({
    now,
    policy: POLICY,
    scopeHasActive: true,
    force: false,
    ...over,
  });

  it("lets a staged key sign once the propagation time (plus slack) has passed", () => {
    expect(activationRefusal(key(), ctx(s(ready)))).toBeNull();
  });

  it("refuses a staged key before propagation, naming when it ends", () => {
    expect(activationRefusal(key(), ctx(s(ready - 1)))).toBe(
      `relying parties may not have fetched it yet: it was published at ${T0.toISOString()} and the propagation time ends at ${s(ready).toISOString()}; wait until then, or force the activation with a reason`,
    );
  });

  it("allows a forced early activation, and the first key of a scope at once", () => {
    expect(activationRefusal(key(), ctx(s(1), { force: true }))).toBeNull();
    expect(activationRefusal(key(), ctx(s(1), { scopeHasActive: false }))).toBeNull();
  });

  it("waits at least the JWKS max-age even when propagation is shorter", () => {
    const policy = { ...POLICY, propagationSeconds: 10, jwksMaxAgeSeconds: 600 };
    expect(effectivePropagationSeconds(policy)).toBe(600 + PUBLISH_SLACK_SECONDS);
    expect(activationRefusal(key(), ctx(s(599), { policy }))).toMatch(/propagation time ends/);
  });

  it("lets a retired key come back at once (it stayed published): a rollback", () => {
    expect(activationRefusal(key({ state: "retired", activatedAt: T0, retiredAt: s(10) }), ctx(s(11)))).toBeNull();
  });

  it.each([
    ["active", "only a staged or retired key can be activated"],
    ["removed", "only a staged or retired key can be activated"],
    ["revoked", "only a staged or retired key can be activated"],
  ])("refuses a %s key", (state, message) => {
    expect(activationRefusal(key({ state }), ctx(s(ready), { force: true }))).toBe(message);
  });

  it("refuses a key without its private part, and certificates outside their window — even forced", () => {
    expect(activationRefusal(key({ hasPrivateKey: false }), ctx(s(ready), { force: true }))).toBe("its private key is gone");
    expect(activationRefusal(key({ certNotAfter: s(100) }), ctx(s(100), { force: true }))).toMatch(/^it cannot sign: its certificate expired on/);
    expect(activationRefusal(key({ certNotBefore: s(ready + 10), certNotAfter: s(ready + DAY) }), ctx(s(ready), { force: true }))).toMatch(
      /^it cannot sign: its certificate is not valid before/,
    );
  });
});

describe("retire, remove, revoke", () => {
  it("retires only staged keys", () => {
    expect(retireRefusal(key())).toBeNull();
    expect(retireRefusal(key({ state: "active" }))).toMatch(/activate the key that replaces it/);
    for (const state of ["retired", "removed", "revoked"]) expect(retireRefusal(key({ state }))).toBe("only a staged key can be retired");
  });

  it("keeps a retired key that signed until its retention passed; one that never signed may go at once", () => {
    const signed = key({ state: "retired", activatedAt: T0, retiredAt: s(100), removesAt: s(100 + 7 * DAY) });
    expect(removalRefusal(signed, s(200))).toMatch(/tokens it signed may still be in use: it stays published until/);
    expect(removalRefusal(signed, s(100 + 7 * DAY))).toBeNull();
    expect(removalRefusal(key({ state: "retired", retiredAt: s(5) }), s(6))).toBeNull();
    expect(removalRefusal(key(), s(1))).toBeNull();
  });

  it("never removes the active key or a revoked one", () => {
    expect(removalRefusal(key({ state: "active" }), s(1))).toMatch(/the active key cannot be removed/);
    expect(removalRefusal(key({ state: "revoked" }), s(1))).toBe("it is already gone from the JWKS");
  });

  it("revokes the active key only with a valid replacement of its scope", () => {
    const active = key({ kid: "a", state: "active", activatedAt: T0 });
    const now = s(10);
    expect(revocationRefusal(active, { replacement: null, now })).toMatch(/name a staged key to promote, or ask for a generated replacement/);
    expect(revocationRefusal(active, { replacement: "generate", now })).toBeNull();
    expect(revocationRefusal(active, { replacement: key({ kid: "b" }), now })).toBeNull();
    expect(revocationRefusal(active, { replacement: active, now })).toBe("a key cannot replace itself");
    expect(revocationRefusal(active, { replacement: key({ kid: "b", appId: "app1" }), now })).toMatch(/belongs to another scope/);
    expect(revocationRefusal(active, { replacement: key({ kid: "b", state: "retired" }), now })).toMatch(/is retired; only a staged key/);
    expect(revocationRefusal(active, { replacement: key({ kid: "b", hasPrivateKey: false }), now })).toMatch(/has no private key/);
    expect(revocationRefusal(active, { replacement: key({ kid: "b", certNotAfter: s(5) }), now })).toMatch(/cannot sign: its certificate expired/);
  });

  it("revokes other keys without a replacement, but not a removed one", () => {
    expect(revocationRefusal(key(), { replacement: null, now: s(1) })).toBeNull();
    expect(revocationRefusal(key({ state: "retired" }), { replacement: null, now: s(1) })).toBeNull();
    expect(revocationRefusal(key({ state: "removed" }), { replacement: null, now: s(1) })).toMatch(/it was removed/);
  });
});

describe("the rotation plan", () => {
  it("publishes now, signs after propagation, retires the current key then and removes it after retention", () => {
    const plan = planRotation(T0, POLICY, { kid: "old" });
    expect(plan).toEqual({ publishedAt: T0, activatesAt: s(ready), retiringKid: "old", removesRetiringAt: s(ready + 7 * DAY) });
  });

  it("activates a staged key published long ago now", () => {
    const plan = planRotation(s(10 * DAY), POLICY, { kid: "old" }, T0);
    expect(plan.activatesAt).toEqual(s(10 * DAY));
  });
});

describe("what the scheduler does", () => {
  const active = key({ kid: "a", state: "active", createdAt: s(-100 * DAY), activatedAt: s(-80 * DAY) });

  it("activates a planned key when its time has come, not before, and not when automatic activation is off", () => {
    const planned = key({ kid: "b", activatesAt: s(ready) });
    expect(dueTransitions([active, planned], POLICY, s(ready - 1))).toEqual([]);
    expect(dueTransitions([active, planned], POLICY, s(ready))).toEqual([
      { type: "activate", kid: "b", appId: null, why: `planned activation at ${s(ready).toISOString()}` },
    ]);
    expect(dueTransitions([active, planned], { ...POLICY, autoActivate: false }, s(ready))).toEqual([]);
  });

  it("does not activate a planned key whose certificate has expired", () => {
    const planned = key({ kid: "b", activatesAt: s(ready), certNotAfter: s(ready - 5) });
    expect(dueTransitions([active, planned], POLICY, s(ready))).toEqual([]);
  });

  it("removes retired keys whose retention has passed", () => {
    const retired = key({ kid: "r", state: "retired", activatedAt: s(-200 * DAY), retiredAt: s(-80 * DAY), removesAt: s(-73 * DAY) });
    expect(dueTransitions([active, retired], { ...POLICY, rotationIntervalSeconds: null }, T0)).toEqual([
      { type: "remove", kid: "r", appId: null, why: `retention ended at ${s(-73 * DAY).toISOString()}` },
    ]);
  });

  it("stages a new key when the interval has passed, once (not while one is on its way), and never when rotation is off", () => {
    const due = key({ kid: "a", state: "active", activatedAt: s(-90 * DAY) });
    expect(dueTransitions([due], POLICY, T0)).toEqual([{ type: "rotate", appId: null, why: expect.stringMatching(/rotation interval has passed/) }]);
    expect(dueTransitions([due, key({ kid: "b", activatesAt: s(ready) })], POLICY, T0)).toEqual([]);
    expect(dueTransitions([due], { ...POLICY, rotationIntervalSeconds: null }, T0)).toEqual([]);
    expect(dueTransitions([key({ kid: "a", state: "active", activatedAt: s(-89 * DAY) })], POLICY, T0)).toEqual([]);
  });

  it("rotates a self-signed certificate nearing expiry, but leaves a directory-issued one to its owner", () => {
    const selfSigned = key({ kid: "a", state: "active", activatedAt: s(-DAY), certNotAfter: s(10 * DAY), certSubject: "CN=bank", certIssuer: "CN=bank" });
    expect(dueTransitions([selfSigned], POLICY, T0)).toEqual([{ type: "rotate", appId: null, why: expect.stringMatching(/certificate of the active key "a" expires/) }]);
    const issued = { ...selfSigned, certIssuer: "CN=Open Banking Issuing CA" };
    expect(dueTransitions([issued], POLICY, T0)).toEqual([]);
  });

  it("promotes a propagated staged key when the active key can no longer sign", () => {
    const expired = key({ kid: "a", state: "active", activatedAt: s(-DAY), certNotAfter: s(-1), certSubject: "CN=x", certIssuer: "CN=ca" });
    const staged = key({ kid: "b", createdAt: s(-2 * DAY) });
    expect(dueTransitions([expired, staged], POLICY, T0)).toEqual([
      { type: "activate", kid: "b", appId: null, why: expect.stringMatching(/the active key "a" can no longer sign: its certificate expired/) },
    ]);
    // One published a moment ago is not promoted: relying parties may not have it.
    expect(dueTransitions([expired, key({ kid: "c", createdAt: s(-10) })], POLICY, T0)).toEqual([]);
  });
});

describe("planned events and policy warnings", () => {
  it("lists the events ahead, soonest first", () => {
    const active = key({ kid: "a", state: "active", activatedAt: s(-10), certNotAfter: s(400 * DAY) });
    const planned = key({ kid: "b", activatesAt: s(ready) });
    const events = plannedEvents([active, planned], POLICY, T0);
    expect(events.map((e) => [e.kind, e.kid, e.at])).toEqual([
      ["activation", "b", s(ready)],
      ["removal", "a", s(ready + 7 * DAY)],
      ["certificate-expiry", "a", s(400 * DAY)],
    ]);
  });

  it("plans the next automatic rotation when none is under way", () => {
    const active = key({ kid: "a", state: "active", activatedAt: s(-10) });
    expect(plannedEvents([active], POLICY, T0)).toEqual([expect.objectContaining({ kind: "rotation", at: s(90 * DAY - 10) })]);
    expect(plannedEvents([active], { ...POLICY, rotationIntervalSeconds: null }, T0)).toEqual([]);
  });

  it("warns when retention is shorter than the token lifetime plus skew, and about drill-length propagation", () => {
    expect(policyWarnings(POLICY)).toEqual([]);
    const drill = policyWarnings({ ...POLICY, propagationSeconds: 2, retentionSeconds: 30, jwksMaxAgeSeconds: 1, rotationIntervalSeconds: 10 });
    expect(drill).toEqual([
      expect.stringMatching(/retention \(30 s\) is shorter than the access-token lifetime plus clock skew \(360 s\)/),
      expect.stringMatching(/more than two keys will be published/),
      expect.stringMatching(/meant for tests and drills/),
    ]);
  });
});
