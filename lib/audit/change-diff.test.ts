import { describe, expect, it } from "vitest";
import { auditChange, changeHeadline, showValue } from "@/lib/audit/change-diff";

describe("auditChange", () => {
  it("an update lists the fields that moved and names the ones that did not", () => {
    const change = auditChange(
      { name: "Partner", status: "active", scope: "accounts", roles: ["AISP"] },
      { name: "Partner", status: "suspended", scope: "accounts payments", roles: ["AISP"], registeredVia: "console" },
    );
    expect(change).toEqual({
      kind: "updated",
      changed: [
        { field: "status", before: "active", after: "suspended" },
        { field: "scope", before: "accounts", after: "accounts payments" },
        { field: "registeredVia", before: undefined, after: "console" },
      ],
      unchanged: ["name", "roles"],
    });
    expect(changeHeadline(change)).toBe("changed: status, scope, registeredVia");
  });

  it("leaves the version out of the headline when something else changed (the details keep it)", () => {
    const change = auditChange({ name: "A", version: 3 }, { name: "B", version: 4 });
    expect(changeHeadline(change)).toBe("changed: name");
    expect(change).toMatchObject({ changed: [{ field: "name" }, { field: "version", before: 3, after: 4 }] });
    expect(changeHeadline(auditChange({ version: 3 }, { version: 4 }))).toBe("changed: version");
  });

  it("compares nested values by content, not by reference or key order", () => {
    const change = auditChange({ redirectUris: ["https://a"], jwks: { k: 1, a: 2 } }, { redirectUris: ["https://a"], jwks: { a: 2, k: 1 } });
    expect(change).toMatchObject({ kind: "updated", changed: [], unchanged: ["redirectUris", "jwks"] });
    expect(changeHeadline(change)).toBe("no field changed");
    expect(auditChange({ uris: ["a", "b"] }, { uris: ["b", "a"] })).toMatchObject({ changed: [{ field: "uris" }] });
  });

  it("a creation and a deletion list their fields", () => {
    const created = auditChange(null, { name: "New", status: "active" });
    expect(created).toEqual({ kind: "created", fields: [{ field: "name", value: "New" }, { field: "status", value: "active" }] });
    expect(changeHeadline(created)).toBe("new: name, status");
    expect(auditChange({ name: "Old" }, null)).toEqual({ kind: "deleted", fields: [{ field: "name", value: "Old" }] });
  });

  it("a summary that is not an object is shown as it is; nothing at all reads as none", () => {
    expect(auditChange(null, "text summary")).toEqual({ kind: "value", label: "after", value: "text summary" });
    expect(auditChange([1], [2])).toEqual({ kind: "value", label: "after", value: [2] });
    expect(auditChange(undefined, null)).toEqual({ kind: "none" });
    expect(changeHeadline({ kind: "none" })).toBe("—");
  });

  it("shows values on one line and cuts long ones", () => {
    expect(showValue("plain")).toBe("plain");
    expect(showValue(["a", "b"])).toBe('["a","b"]');
    expect(showValue(undefined)).toBe("—");
    expect(showValue("x".repeat(100), 10)).toBe(`${"x".repeat(9)}…`);
  });
});
