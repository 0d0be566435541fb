import type { DirectoryView } from "@/lib/directories/schemas";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/page";

type Health = NonNullable<DirectoryView["health"]>;

function tone(status: string) {
  return status === "ok" ? "green" : status === "failing" ? "red" : "neutral";
}

/** The fetch health of a directory's JWKS URL: status, last success, keys held, last error. */
export function DirectoryHealth({ health, compact = false }: { health: Health; compact?: boolean }) {
  return (
    <div className={`space-y-1 ${compact ? "text-xs" : "text-sm"}`} data-testid="directory-health">
      <p>
        <Badge tone={tone(health.status)}>{health.status}</Badge>
      </p>
      <p>
        <span className="text-slate-600">Last success: </span>
        {health.lastSuccessAt ? <Time value={health.lastSuccessAt} /> : <span className="text-slate-600">never</span>}
      </p>
      {health.keyCount !== null ? (
        <p>
          <span className="text-slate-600">Keys: </span>
          {health.keyCount}
        </p>
      ) : null}
      {health.lastError ? (
        <p className="font-medium whitespace-normal text-red-700" data-testid="directory-health-error">
          Last error: {health.lastError}
        </p>
      ) : null}
    </div>
  );
}
