import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, isUniqueViolation } from "@/lib/db/errors";

// Shapes as Prisma 7 and @prisma/adapter-pg raise them (seen with a PostgreSQL
// server stopped under a running client).
const terminated = {
  name: "PrismaClientKnownRequestError",
  code: "P2010",
  message: "Raw query failed. Code: `57P01`. Message: `terminating connection due to administrator command`",
  meta: { driverAdapterError: { name: "DriverAdapterError", cause: { originalCode: "57P01", kind: "postgres", code: "57P01", severity: "FATAL", message: "terminating connection due to administrator command" } } },
};
const refused = {
  name: "PrismaClientKnownRequestError",
  code: "P2010",
  message: "Raw query failed. Code: `N/A`. Message: `Can't reach database server at 127.0.0.1:5432`",
  meta: { driverAdapterError: { name: "DriverAdapterError", cause: { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 } } },
};

describe("isDatabaseUnavailable", () => {
  it("recognises a server that is down, shutting down, or dropping connections", () => {
    expect(isDatabaseUnavailable(terminated)).toBe(true);
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(isDatabaseUnavailable({ code: "P1001", message: "Can't reach database server at 127.0.0.1:5432" })).toBe(true);
    expect(isDatabaseUnavailable({ code: "P1017", message: "Server has closed the connection." })).toBe(true);
    expect(isDatabaseUnavailable({ code: "P2010", message: "x", meta: { driverAdapterError: { cause: { kind: "postgres", code: "08006", message: "connection failure" } } } })).toBe(true);
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    // A server that hangs: the query timeout, the connect timeout, no connection for a transaction.
    expect(isDatabaseUnavailable({ name: "PrismaClientKnownRequestError", code: "P2010", message: "Raw query failed. Code: `N/A`. Message: `Query read timeout`" })).toBe(true);
    expect(isDatabaseUnavailable(new Error("\nInvalid `prisma.user.findUnique()` invocation:\n\n\nConnection terminated due to connection timeout"))).toBe(true);
    expect(isDatabaseUnavailable({ code: "P2028", message: "Transaction API error: Unable to start a transaction in the given time." })).toBe(true);
  });

  it("does not take query errors, rule violations or other faults for an unavailable database", () => {
    expect(isDatabaseUnavailable({ code: "P2002", message: "Unique constraint failed" })).toBe(false);
    expect(isDatabaseUnavailable({ code: "P2028", message: "Transaction API error: Transaction already closed: the timeout for this transaction was 5000 ms" })).toBe(false);
    expect(isDatabaseUnavailable({ code: "P2010", message: "x", meta: { driverAdapterError: { cause: { kind: "postgres", code: "42601", message: "syntax error" } } } })).toBe(false);
    expect(isDatabaseUnavailable(new Error("the JWKS at https://idp.example/jwks could not be fetched: connect ECONNREFUSED 10.0.0.1:443"))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable("P1001")).toBe(false);
  });

  it("leaves the unique-violation check as it was", () => {
    expect(isUniqueViolation({ code: "P2002" })).toBe(true);
    expect(isUniqueViolation(refused)).toBe(false);
  });
});
