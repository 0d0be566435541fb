import { Table, Td, Time } from "@/components/ui/page";

const TIME_CLAIMS = new Set(["iat", "exp", "nbf"]);

function ClaimValue({ name, value }: { name: string; value: unknown }) {
  if (typeof value === "number" && TIME_CLAIMS.has(name)) {
    return (
      <span className="space-x-2">
        <span className="font-mono text-xs">{value}</span>
        <span className="text-xs text-slate-600">
          (<Time value={new Date(value * 1000).toISOString()} />)
        </span>
      </span>
    );
  }
  if (typeof value === "string") return <span className="break-all font-mono text-xs">{value}</span>;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    if (value.length === 0) return <span className="text-slate-600">none</span>;
    return (
      <ul className="space-y-0.5">
        {value.map((v, i) => (
          <li key={`${v}-${i}`} className="break-all font-mono text-xs">
            {v}
          </li>
        ))}
      </ul>
    );
  }
  if (value !== null && typeof value === "object") {
    return <pre className="max-w-xl overflow-x-auto whitespace-pre-wrap break-all font-mono text-xs">{JSON.stringify(value, null, 2)}</pre>;
  }
  return <span className="font-mono text-xs">{JSON.stringify(value)}</span>;
}

/** The claims of a JWT (a software statement, a registration request), one row each, times also in UTC. */
export function ClaimsTable({ claims, caption, testId }: { claims: Record<string, unknown>; caption: string; testId?: string }) {
  const entries = Object.entries(claims);
  if (entries.length === 0) return <p className="text-sm text-slate-600">No claims.</p>;
  return (
    <div data-testid={testId}>
      <Table caption={caption} head={["Claim", "Value"]}>
        {entries.map(([name, value]) => (
          <tr key={name} data-testid={`claim-${name}`}>
            <Td className="font-mono text-xs">{name}</Td>
            <Td className="whitespace-normal">
              <ClaimValue name={name} value={value} />
            </Td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
