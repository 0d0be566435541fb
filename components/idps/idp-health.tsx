import type { IdpHealthView } from "@/lib/idps/idp-keys";
import { StackedTime } from "@/components/ui/stacked-time";
import { Table, Td, Time } from "@/components/ui/page";
import { Badge } from "@/components/ui/badge";

/** The health of a jwks_uri in a table cell: last fetch, key count, last error (red), next refresh. */
export function HealthSummary({ health }: { health: IdpHealthView }) {
  return (
    <div className="space-y-0.5 text-xs" data-testid="idp-health">
      <p>
        <span className="text-slate-600">Last fetch: </span>
        {health.lastFetchAt ? <Time value={health.lastFetchAt} /> : <span className="text-slate-600">never (fetched on first use)</span>}
      </p>
      <p>
        <span className="text-slate-600">Keys: </span>
        {health.keyCount}
      </p>
      {health.lastError ? (
        <p className="font-medium whitespace-normal text-red-700" data-testid="idp-health-error">
          Last error: {health.lastError.message}
        </p>
      ) : null}
      <p>
        <span className="text-slate-600">Next refresh: </span>
        {health.nextRefreshAt ? <Time value={health.nextRefreshAt} /> : <span className="text-slate-600">on first use</span>}
      </p>
    </div>
  );
}

/** The full health of a jwks_uri with its fetch history, newest first. */
export function HealthDetails({ health }: { health: IdpHealthView }) {
  return (
    <div className="space-y-4" data-testid="idp-health-details">
      <dl className="grid grid-cols-2 gap-3 text-sm">
        <div>
          <dt className="text-slate-600">Last fetch</dt>
          <dd>
            <Time value={health.lastFetchAt} />
          </dd>
        </div>
        <div>
          <dt className="text-slate-600">Last success</dt>
          <dd>
            <Time value={health.lastSuccessAt} />
          </dd>
        </div>
        <div>
          <dt className="text-slate-600">Keys held</dt>
          <dd>{health.keyCount}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Next refresh</dt>
          <dd>
            <Time value={health.nextRefreshAt} />
          </dd>
        </div>
        <div className="col-span-2">
          <dt className="text-slate-600">Last error</dt>
          <dd className={health.lastError ? "font-medium text-red-700" : ""} data-testid="idp-last-error">
            {health.lastError ? `${health.lastError.message} (${health.lastError.code})` : "none"}
            {health.consecutiveFailures > 1 ? ` · ${health.consecutiveFailures} failures in a row` : ""}
          </dd>
        </div>
      </dl>
      {health.history.length === 0 ? (
        <p className="text-sm text-slate-600">No fetch yet in this process: the keys are fetched on first use or with Refresh now.</p>
      ) : (
        <Table caption="Fetch history, newest first" head={["When", "Result", "Detail", "Duration"]}>
          {health.history.map((r, i) => (
            <tr key={`${r.at}-${i}`}>
              <Td>
                <StackedTime value={r.at} />
              </Td>
              <Td>{r.ok ? <Badge tone="green">{r.status}</Badge> : <Badge tone="red">{r.code}</Badge>}</Td>
              <Td className="whitespace-normal">
                {r.ok ? `${r.keyCount} ${r.keyCount === 1 ? "key" : "keys"}` : <span className="text-red-700">{r.message}</span>}
              </Td>
              <Td>{r.durationMs} ms</Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
