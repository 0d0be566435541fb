import { describe, expect, it } from "vitest";
import { auditCsvRow, csvCell } from "./export-csv";

describe("CSV cells", () => {
  it("quotes separators, quotes and newlines (RFC 4180)", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(null)).toBe("");
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });

  it("neutralises cells a spreadsheet would run as a formula", () => {
    for (const f of ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx"]) expect(csvCell(f).replace(/^"/, "").startsWith("'")).toBe(true);
  });

  it("writes the columns in header order", () => {
    const row = auditCsvRow({
      id: "1",
      at: "2026-01-01T00:00:00.000Z",
      actor: { type: "user", id: "u1", label: "a@b.c" },
      action: "user.create",
      target: { type: "user", id: "u2" },
      tenant: null,
      requestId: "r1",
      ip: "127.0.0.1",
      before: null,
      after: { role: "viewer" },
    });
    expect(row).toBe('2026-01-01T00:00:00.000Z,user,a@b.c,user.create,user,u2,,127.0.0.1,r1,,"{""role"":""viewer""}"');
  });
});
