import { describe, expect, it } from "vitest";
import { THROTTLE, waitMs } from "./sign-in";

const t0 = new Date("2026-06-01T12:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("login throttle timing", () => {
  it("lets the first failures through at once", () => {
    expect(waitMs(null, t0)).toEqual({ ms: 0, locked: false });
    expect(waitMs({ key: "k", failures: THROTTLE.freeFailures - 1, lastFailureAt: t0, lockedUntil: null }, t0).ms).toBe(0);
  });

  it("doubles the wait after each further failure, up to the cap", () => {
    const s = (failures: number) => waitMs({ key: "k", failures, lastFailureAt: t0, lockedUntil: null }, t0).ms;
    expect(s(3)).toBe(1000);
    expect(s(4)).toBe(2000);
    expect(s(5)).toBe(4000);
    expect(s(20)).toBe(THROTTLE.maxBackoffMs);
  });

  it("counts down as time passes", () => {
    expect(waitMs({ key: "k", failures: 4, lastFailureAt: t0, lockedUntil: null }, at(1500)).ms).toBe(500);
    expect(waitMs({ key: "k", failures: 4, lastFailureAt: t0, lockedUntil: null }, at(2500)).ms).toBe(0);
  });

  it("reports a lock until it ends", () => {
    const state = { key: "k", failures: 10, lastFailureAt: t0, lockedUntil: at(THROTTLE.lockMs) };
    expect(waitMs(state, at(1000))).toEqual({ ms: THROTTLE.lockMs - 1000, locked: true });
    expect(waitMs(state, at(THROTTLE.lockMs + THROTTLE.windowMs + 1)).locked).toBe(false);
  });
});
