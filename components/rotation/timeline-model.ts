import type { RotationStatus } from "@/lib/rotation/status";

/**
 * The geometry-free model of the rotation timeline: one row per key with its
 * state segments (what happened up to now, then what is planned), the
 * numbered planned events, the time range and its axis ticks. Pure, so the
 * chart stays a thin drawing of it.
 */

export type SegmentState = "staged" | "active" | "retired";
export type EventKind = RotationStatus["events"][number]["kind"];

export interface TimelineSegment {
  state: SegmentState;
  from: number;
  /** Infinity: goes on past the end of the chart. */
  to: number;
  planned: boolean;
}

export interface TimelineRow {
  kid: string;
  appId: string | null;
  state: string;
  segments: TimelineSegment[];
  /** When it left (or is planned to leave) the JWKS; null when open-ended. */
  endsAt: number | null;
  end: "removed" | "revoked" | "planned-removal" | null;
}

export interface TimelineMarker {
  /** 1-based, the same number as in the list of planned events. */
  n: number;
  at: number;
  kind: EventKind;
  kid: string | null;
  appId: string | null;
  label: string;
  /** The row it is drawn on; null: the lane above the rows. */
  row: number | null;
  /** Later than the chart's end: drawn at its right edge. */
  beyond: boolean;
}

export interface AxisTick {
  at: number;
  label: string;
  /** The date under a time of day, on the first tick and where the day changes. */
  sublabel: string | null;
}

export interface TimelineModel {
  now: number;
  start: number;
  end: number;
  rows: TimelineRow[];
  markers: TimelineMarker[];
  ticks: AxisTick[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 60 * DAY, 90 * DAY, 180 * DAY, 365 * DAY,
];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MAX_TICKS = 7;

const ms = (iso: string | null | undefined): number | null => (iso ? Date.parse(iso) : null);

/** What happened to a key up to `until`, from its timestamps. */
function pastSegments(k: RotationStatus["timeline"][number], until: number): TimelineSegment[] {
  const points: { at: number; state: SegmentState }[] = [{ at: ms(k.createdAt)!, state: "staged" }];
  const activated = ms(k.activatedAt);
  const retired = ms(k.retiredAt);
  if (activated !== null) points.push({ at: activated, state: "active" });
  if (retired !== null) points.push({ at: retired, state: "retired" });
  points.sort((a, b) => a.at - b.at);
  const segments: TimelineSegment[] = [];
  points.forEach((p, i) => {
    const to = Math.min(points[i + 1]?.at ?? until, until);
    if (to > p.at) segments.push({ state: p.state, from: p.at, to, planned: false });
  });
  return segments;
}

/** What the plan says happens to a live key after `now`. */
function plannedSegments(
  k: RotationStatus["timeline"][number],
  status: RotationStatus,
  now: number,
): { segments: TimelineSegment[]; endsAt: number | null } {
  const seg = (state: SegmentState, from: number, to: number): TimelineSegment[] => (to > from ? [{ state, from, to, planned: true }] : []);
  if (k.state === "staged") {
    const activatesAt = ms(k.activatesAt);
    if (activatesAt === null) return { segments: seg("staged", now, Infinity), endsAt: null };
    const from = Math.max(now, activatesAt);
    return { segments: [...seg("staged", now, from), ...seg("active", from, Infinity)], endsAt: null };
  }
  if (k.state === "active") {
    // Its successor, planned by a rotation in the same scope.
    const pending = status.timeline.find((o) => o.state === "staged" && o.appId === k.appId && o.activatesAt !== null) ?? null;
    if (!pending) return { segments: seg("active", now, Infinity), endsAt: null };
    const retiresAt = Math.max(now, Date.parse(pending.activatesAt!));
    const removal = status.events.find((e) => e.kind === "removal" && e.kid === k.kid && e.appId === k.appId);
    const removesAt = Math.max(retiresAt, removal ? Date.parse(removal.at) : retiresAt + status.policy.retentionSeconds * SECOND);
    return { segments: [...seg("active", now, retiresAt), ...seg("retired", retiresAt, removesAt)], endsAt: removesAt };
  }
  if (k.state === "retired") {
    const removesAt = ms(k.removesAt);
    if (removesAt === null) return { segments: seg("retired", now, Infinity), endsAt: null };
    return { segments: seg("retired", now, Math.max(now, removesAt)), endsAt: Math.max(now, removesAt) };
  }
  return { segments: [], endsAt: null };
}

function pickStep(span: number): number {
  return STEPS.find((s) => span / s <= MAX_TICKS) ?? STEPS[STEPS.length - 1]!;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function ticksFor(start: number, end: number): AxisTick[] {
  const step = pickStep(end - start);
  const ticks: AxisTick[] = [];
  let previousDay = "";
  let previousYear = -1;
  for (let at = Math.ceil(start / step) * step; at <= end; at += step) {
    const d = new Date(at);
    const day = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
    if (step < DAY) {
      const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${step < MINUTE ? `:${pad(d.getUTCSeconds())}` : ""}`;
      ticks.push({ at, label: time, sublabel: day !== previousDay ? day : null });
      previousDay = day;
    } else {
      const year = d.getUTCFullYear();
      ticks.push({ at, label: day, sublabel: year !== previousYear ? String(year) : null });
      previousYear = year;
    }
  }
  return ticks;
}

/** The timeline of a tenant's keys as the rotation status describes them. */
export function buildTimeline(status: RotationStatus): TimelineModel {
  const now = Date.parse(status.now);
  // Tenant-wide keys first, then each app's; oldest first within a scope.
  const keys = [...status.timeline].sort(
    (a, b) => (a.appId ?? "").localeCompare(b.appId ?? "") || Date.parse(a.createdAt) - Date.parse(b.createdAt),
  );
  const rows: TimelineRow[] = keys.map((k) => {
    const endedAt = ms(k.endedAt);
    const past = pastSegments(k, endedAt ?? now);
    if (endedAt !== null) return { kid: k.kid, appId: k.appId, state: k.state, segments: past, endsAt: endedAt, end: k.state === "revoked" ? "revoked" : "removed" };
    const plan = plannedSegments(k, status, now);
    return { kid: k.kid, appId: k.appId, state: k.state, segments: [...past, ...plan.segments], endsAt: plan.endsAt, end: plan.endsAt !== null ? "planned-removal" : null };
  });

  const first = keys.length > 0 ? Math.min(...keys.map((k) => Date.parse(k.createdAt))) : now;
  // The range covers the keys and every planned event, except a certificate
  // expiry far beyond the rest: it would squash the rotation plan into a corner.
  const core = [now, ...rows.flatMap((r) => [...r.segments.map((s) => s.to).filter(Number.isFinite), r.endsAt ?? now])];
  for (const e of status.events) if (e.kind !== "certificate-expiry") core.push(Date.parse(e.at));
  const coreEnd = Math.max(...core);
  const coreSpan = Math.max(coreEnd - first, MINUTE);
  let last = coreEnd;
  for (const e of status.events) {
    const at = Date.parse(e.at);
    if (e.kind === "certificate-expiry" && at <= coreEnd + coreSpan) last = Math.max(last, at);
  }
  const span = Math.max(last - first, MINUTE);
  // Room after the last event for open-ended bars, and always some future after "now".
  const end = Math.max(last + span * 0.06, now + span * 0.12);
  const start = first - span * 0.02;

  const markers: TimelineMarker[] = status.events.map((e, i) => {
    const at = Date.parse(e.at);
    let row = e.kid === null ? -1 : rows.findIndex((r) => r.kid === e.kid && r.appId === e.appId);
    // An automatic rotation belongs to the key it replaces.
    if (row === -1) row = rows.findIndex((r) => r.state === "active" && r.appId === e.appId);
    return { n: i + 1, at, kind: e.kind, kid: e.kid, appId: e.appId, label: e.label, row: row === -1 ? null : row, beyond: at > end };
  });

  return { now, start, end, rows, markers, ticks: ticksFor(start, end) };
}
