import Link from "next/link";
import type { ReactNode } from "react";
import type { RotationStatus } from "@/lib/rotation/status";
import { keyHref } from "@/components/keys/key-labels";
import { Table, Td } from "@/components/ui/page";
import { asSentence } from "@/components/ui/form-alert";
import { formatRelative, formatUtc } from "@/components/rotation/durations";
import { buildTimeline, type EventKind, type SegmentState, type TimelineMarker, type TimelineModel } from "@/components/rotation/timeline-model";

// Drawing units of the SVG's viewBox; the chart scales to its container.
const WIDTH = 960;
const LABEL_WIDTH = 210;
const RIGHT = 40;
const TOP = 34;
const ROW = 36;
const BAR = 14;
const AXIS = 44;
const PLOT_RIGHT = WIDTH - RIGHT;

export const STATE_COLOURS: Record<SegmentState, { solid: string; tint: string; label: string }> = {
  staged: { solid: "#1d5fd1", tint: "#d9eaff", label: "Staged: published, not signing" },
  active: { solid: "#15803d", tint: "#dcfce7", label: "Active: the key that signs" },
  retired: { solid: "#64748b", tint: "#e2e8f0", label: "Retired: published, no longer signing" },
};

export const EVENT_STYLE: Record<EventKind, { colour: string; label: string }> = {
  activation: { colour: "#15803d", label: "Activation" },
  removal: { colour: "#334155", label: "Removal from the JWKS" },
  rotation: { colour: "#184fae", label: "Automatic rotation" },
  "certificate-expiry": { colour: "#b45309", label: "Certificate expiry" },
};

function short(kid: string, max = 24): string {
  return kid.length > max ? `${kid.slice(0, max - 1)}…` : kid;
}

/** The sentence a screen reader hears for the chart; the list of planned events follows it. */
function summary(model: TimelineModel, status: RotationStatus): string {
  const parts = [`Timeline of ${model.rows.length} signing ${model.rows.length === 1 ? "key" : "keys"} from ${formatUtc(new Date(model.start))} to ${formatUtc(new Date(model.end))}; now is ${formatUtc(status.now)}.`];
  for (const scope of status.scopes) {
    const where = scope.appId ? ` for app ${scope.appId}` : "";
    parts.push(scope.active ? `${scope.active.kid} signs${where}.` : `No key signs${where}.`);
    if (scope.pending) parts.push(`${scope.pending.kid} signs${where} from ${formatUtc(scope.pending.activatesAt)}.`);
  }
  parts.push(model.markers.length > 0 ? `${model.markers.length} planned ${model.markers.length === 1 ? "event is" : "events are"} listed below the chart.` : "Nothing is planned.");
  return parts.join(" ");
}

function Patterns() {
  return (
    <defs>
      {(Object.keys(STATE_COLOURS) as SegmentState[]).map((state) => (
        <pattern key={state} id={`timeline-planned-${state}`} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="8" height="8" fill={STATE_COLOURS[state].tint} />
          <line x1="0" y1="0" x2="0" y2="8" stroke={STATE_COLOURS[state].solid} strokeWidth="3" strokeOpacity="0.55" />
        </pattern>
      ))}
    </defs>
  );
}

function Marker({ marker, x, y }: { marker: TimelineMarker; x: number; y: number }) {
  const { colour } = EVENT_STYLE[marker.kind];
  return (
    <g data-testid="timeline-marker" data-kind={marker.kind} data-n={marker.n}>
      <title>{`${marker.n}. ${formatUtc(new Date(marker.at), { seconds: true })}: ${marker.label}`}</title>
      {marker.beyond ? <path d={`M ${x + 9} ${y - 5} L ${x + 15} ${y} L ${x + 9} ${y + 5} Z`} fill={colour} /> : null}
      <circle cx={x} cy={y} r="9" fill={colour} stroke="#ffffff" strokeWidth="2" />
      <text x={x} y={y + 3.5} textAnchor="middle" fontSize="10" fontWeight="700" fill="#ffffff">
        {marker.n}
      </text>
    </g>
  );
}

/**
 * The chart: one bar per key across time, coloured by state, hatched after
 * "now" (the plan), with the "now" line and the planned events as numbered
 * markers. Server-rendered SVG; the same facts are in the list beside it.
 */
export function TimelineChart({ status }: { status: RotationStatus }) {
  const model = buildTimeline(status);
  const height = TOP + model.rows.length * ROW + AXIS;
  const x = (t: number) => LABEL_WIDTH + ((Math.min(Math.max(t, model.start), model.end) - model.start) / (model.end - model.start)) * (PLOT_RIGHT - LABEL_WIDTH);
  const rowY = (i: number) => TOP + i * ROW + ROW / 2;
  const nowX = x(model.now);
  const axisY = TOP + model.rows.length * ROW + 6;
  // Markers that would sit on top of each other on one row move up a step.
  const placed = new Map<string, number[]>();
  const markerPosition = (m: TimelineMarker) => {
    const mx = m.beyond ? PLOT_RIGHT + 10 : x(m.at);
    const key = String(m.row);
    const taken = placed.get(key) ?? [];
    const overlaps = taken.filter((px) => Math.abs(px - mx) < 19).length;
    placed.set(key, [...taken, mx]);
    const baseY = m.row === null ? TOP - 14 : rowY(m.row);
    return { mx, my: baseY - overlaps * 12 };
  };

  return (
    <svg
      role="img"
      aria-label={summary(model, status)}
      viewBox={`0 0 ${WIDTH} ${height}`}
      className="block h-auto w-full min-w-[640px]"
      data-testid="rotation-timeline-chart"
      fontFamily="ui-sans-serif, system-ui, sans-serif"
    >
      <Patterns />
      {/* Alternate row backgrounds and the grid of the axis. */}
      {model.rows.map((row, i) => (i % 2 === 0 ? <rect key={`bg-${row.kid}`} x={0} y={TOP + i * ROW} width={WIDTH} height={ROW} fill="#f8fafc" /> : null))}
      {model.ticks.map((t) => (
        <line key={`grid-${t.at}`} x1={x(t.at)} x2={x(t.at)} y1={TOP - 4} y2={axisY} stroke="#e2e8f0" strokeWidth="1" />
      ))}

      {model.rows.map((row, i) => {
        const y = rowY(i);
        const scope = row.appId ? `app ${short(row.appId, 18)}` : "tenant";
        return (
          <g key={`row-${row.appId ?? ""}-${row.kid}`} data-testid="timeline-row" data-kid={row.kid} data-state={row.state}>
            <title>{`${row.kid} (${row.state}, ${row.appId ? `app ${row.appId}` : "tenant-wide"})`}</title>
            <text x={8} y={y - 2} fontSize="12" fontFamily="ui-monospace, SFMono-Regular, Menlo, monospace" fill="#0f172a">
              {short(row.kid)}
            </text>
            <text x={8} y={y + 12} fontSize="10.5" fill="#475569">
              {`${row.state} · ${scope}`}
            </text>
            {row.segments.map((s) => {
              const x1 = x(s.from);
              const x2 = x(Number.isFinite(s.to) ? s.to : model.end);
              if (x2 - x1 < 0.5) return null;
              const { solid } = STATE_COLOURS[s.state];
              return (
                <rect
                  key={`${s.state}-${s.from}-${s.planned}`}
                  x={x1}
                  y={y - BAR / 2}
                  width={x2 - x1}
                  height={BAR}
                  rx="2"
                  fill={s.planned ? `url(#timeline-planned-${s.state})` : solid}
                  stroke={solid}
                  strokeWidth={s.planned ? 1 : 0}
                  data-segment={s.state}
                  data-planned={s.planned}
                />
              );
            })}
            {row.endsAt !== null && row.endsAt <= model.end ? (
              row.end === "revoked" ? (
                <path
                  d={`M ${x(row.endsAt) - 5} ${y - 5} L ${x(row.endsAt) + 5} ${y + 5} M ${x(row.endsAt) + 5} ${y - 5} L ${x(row.endsAt) - 5} ${y + 5}`}
                  stroke="#b91c1c"
                  strokeWidth="2.5"
                />
              ) : (
                <line
                  x1={x(row.endsAt)}
                  x2={x(row.endsAt)}
                  y1={y - BAR / 2 - 3}
                  y2={y + BAR / 2 + 3}
                  stroke="#0f172a"
                  strokeWidth="2"
                  strokeDasharray={row.end === "planned-removal" ? "3 2" : undefined}
                />
              )
            ) : null}
          </g>
        );
      })}

      {/* Now. */}
      <line x1={nowX} x2={nowX} y1={TOP - 24} y2={axisY} stroke="#b91c1c" strokeWidth="1.5" strokeDasharray="4 3" data-testid="timeline-now" />
      <text x={nowX} y={TOP - 26} textAnchor={nowX > PLOT_RIGHT - 30 ? "end" : "middle"} fontSize="11" fontWeight="600" fill="#b91c1c">
        now
      </text>

      {model.markers.map((m) => {
        const { mx, my } = markerPosition(m);
        return <Marker key={m.n} marker={m} x={mx} y={my} />;
      })}

      {/* Time axis (UTC). */}
      <line x1={LABEL_WIDTH} x2={PLOT_RIGHT} y1={axisY} y2={axisY} stroke="#94a3b8" strokeWidth="1" />
      {model.ticks.map((t) => (
        <g key={`tick-${t.at}`}>
          <line x1={x(t.at)} x2={x(t.at)} y1={axisY} y2={axisY + 4} stroke="#94a3b8" strokeWidth="1" />
          <text x={x(t.at)} y={axisY + 16} textAnchor="middle" fontSize="11" fill="#334155">
            {t.label}
          </text>
          {t.sublabel ? (
            <text x={x(t.at)} y={axisY + 30} textAnchor="middle" fontSize="10" fill="#64748b">
              {t.sublabel}
            </text>
          ) : null}
        </g>
      ))}
      <text x={8} y={axisY + 16} fontSize="10.5" fill="#64748b">
        Time (UTC)
      </text>
    </svg>
  );
}

function Swatch({ children }: { children: ReactNode }) {
  return (
    <svg aria-hidden="true" width="28" height="14" viewBox="0 0 28 14" className="shrink-0">
      {children}
    </svg>
  );
}

/** What the colours, hatching, lines and markers of the chart mean. */
export function TimelineLegend() {
  return (
    <ul aria-label="Legend of the timeline" className="flex flex-wrap gap-x-5 gap-y-2 text-xs text-slate-700" data-testid="timeline-legend">
      {(Object.keys(STATE_COLOURS) as SegmentState[]).map((state) => (
        <li key={state} className="flex items-center gap-1.5">
          <Swatch>
            <rect x="1" y="2" width="26" height="10" rx="2" fill={STATE_COLOURS[state].solid} />
          </Swatch>
          {STATE_COLOURS[state].label}
        </li>
      ))}
      <li className="flex items-center gap-1.5">
        <Swatch>
          <defs>
            <pattern id="legend-planned" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" fill="#e2e8f0" />
              <line x1="0" y1="0" x2="0" y2="6" stroke="#64748b" strokeWidth="2.5" />
            </pattern>
          </defs>
          <rect x="1" y="2" width="26" height="10" rx="2" fill="url(#legend-planned)" stroke="#64748b" />
        </Swatch>
        Hatched: planned (after now)
      </li>
      <li className="flex items-center gap-1.5">
        <Swatch>
          <line x1="14" y1="0" x2="14" y2="14" stroke="#b91c1c" strokeWidth="1.5" strokeDasharray="3 2" />
        </Swatch>
        Now
      </li>
      <li className="flex items-center gap-1.5">
        <Swatch>
          <line x1="14" y1="1" x2="14" y2="13" stroke="#0f172a" strokeWidth="2" />
        </Swatch>
        Leaves the JWKS (dashed: planned)
      </li>
      <li className="flex items-center gap-1.5">
        <Swatch>
          <path d="M 9 2 L 19 12 M 19 2 L 9 12" stroke="#b91c1c" strokeWidth="2.5" />
        </Swatch>
        Revoked
      </li>
      {(Object.keys(EVENT_STYLE) as EventKind[]).map((kind) => (
        <li key={kind} className="flex items-center gap-1.5">
          <Swatch>
            <circle cx="14" cy="7" r="6" fill={EVENT_STYLE[kind].colour} />
          </Swatch>
          {EVENT_STYLE[kind].label}
        </li>
      ))}
    </ul>
  );
}

/** The planned events as a table, numbered as on the chart: the chart's facts in words. */
export function PlannedEvents({ slug, status, caption = "Planned events" }: { slug: string; status: RotationStatus; caption?: string }) {
  const now = Date.parse(status.now);
  if (status.events.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-3 text-sm text-slate-600" data-testid="planned-events-empty">
        Nothing is planned: no rotation is under way, automatic rotation is off and no certificate expires.
      </p>
    );
  }
  return (
    <Table caption={caption} head={["#", "When", "Event", "Key"]}>
      {status.events.map((e, i) => (
        <tr key={`${e.kind}-${e.kid ?? ""}-${e.at}`} data-testid="planned-event" data-kind={e.kind} data-kid={e.kid ?? ""}>
          <Td>
            <span
              className="inline-flex h-5 w-5 items-center justify-center rounded-full text-[11px] font-bold text-white"
              style={{ backgroundColor: EVENT_STYLE[e.kind].colour }}
            >
              {i + 1}
            </span>
          </Td>
          <Td>
            <time dateTime={e.at} title={e.at} className="block">
              {formatUtc(e.at, { seconds: Date.parse(e.at) - now < 3_600_000 })}
            </time>
            <span className="block text-xs text-slate-600">{formatRelative(Date.parse(e.at), now)}</span>
          </Td>
          <Td className="whitespace-normal [overflow-wrap:anywhere]">
            <span className="block text-xs font-medium uppercase tracking-wide text-slate-600">{EVENT_STYLE[e.kind].label}</span>
            {asSentence(e.label)}
            {e.appId ? <span className="block text-xs text-slate-600">app {e.appId}</span> : null}
          </Td>
          <Td>
            {e.kid ? (
              <Link href={keyHref(slug, e.kid)} className="inline-block max-w-56 break-all whitespace-normal font-mono text-xs text-brand-700 underline">
                {e.kid}
              </Link>
            ) : (
              <span className="text-slate-600">a new key</span>
            )}
          </Td>
        </tr>
      ))}
    </Table>
  );
}

/** The timeline section of the keys page: chart, legend and the planned events. */
export function RotationTimeline({ slug, status }: { slug: string; status: RotationStatus }) {
  return (
    <div className="space-y-4">
      {/* Focusable so keyboard users can scroll the chart on a narrow screen (axe: scrollable-region-focusable). */}
      <div tabIndex={0} role="region" aria-label="Rotation timeline chart" className="overflow-x-auto rounded-lg border border-slate-200 bg-white p-2 shadow-sm">
        <TimelineChart status={status} />
      </div>
      <TimelineLegend />
      <div>
        <h3 className="mb-2 text-base font-semibold" id="planned-heading">
          Planned
        </h3>
        <PlannedEvents slug={slug} status={status} />
      </div>
    </div>
  );
}
