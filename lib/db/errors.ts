/** Whether a Prisma error is a unique-constraint violation (P2002), on either database. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

// Prisma's codes for a server it cannot reach, a connection that timed out or
// closed, or a pool with no connection to give.
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// What the driver adapters report for the same (lib/generated … DriverAdapterError kinds).
const UNAVAILABLE_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01–57P03 (the
// server shuts down or is starting), 53300 (too many connections).
const UNAVAILABLE_SQLSTATE = /^(08|57P0[123]$|53300$)/;
// node-postgres reports these as plain Errors; SQLite's busy/locked file is the same kind of fault.
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Can't reach database server|Unable to start a transaction in the given time|SQLITE_BUSY|database is locked/i;

/**
 * Whether an error means the database cannot be reached right now (down,
 * restarting, refusing or dropping connections), as opposed to a bad query or
 * a rule it enforces: the request may succeed when retried later, so callers
 * answer 503 instead of 500.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 4) return false;
  // Only what Prisma and its adapters raise is looked at: an upstream's
  // refused connection (a JWKS fetch) is not the database's.
  const e = error as { code?: unknown; kind?: unknown; message?: unknown; meta?: unknown };
  if (typeof e.code === "string" && UNAVAILABLE_PRISMA_CODES.has(e.code)) return true;
  if (typeof e.kind === "string" && UNAVAILABLE_ADAPTER_KINDS.has(e.kind)) return true;
  if (e.kind === "postgres" && typeof e.code === "string" && UNAVAILABLE_SQLSTATE.test(e.code)) return true;
  if (typeof e.message === "string" && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  const adapterError = (e.meta as { driverAdapterError?: { cause?: unknown } } | undefined)?.driverAdapterError;
  return adapterError !== undefined && isDatabaseUnavailable(adapterError.cause ?? adapterError, depth + 1);
}
