import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, toPage } from "./pagination";

describe("cursor pagination", () => {
  it("round-trips an opaque cursor", () => {
    const cursor = encodeCursor("0190-abc");
    expect(cursor).not.toContain("0190-abc");
    expect(decodeCursor(cursor)).toBe("0190-abc");
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it("refuses a cursor it did not make, naming the parameter", () => {
    for (const bad of ["garbage", encodeCursor("").slice(0, 5), Buffer.from('{"id":42}').toString("base64url")]) {
      expect(() => decodeCursor(bad)).toThrow(/cursor/);
    }
  });

  it("uses the extra row only to tell that a next page exists", () => {
    const rows = [{ id: "a" }, { id: "b" }, { id: "c" }];
    expect(toPage(rows, 2, (r) => r.id)).toEqual({ items: ["a", "b"], nextCursor: encodeCursor("b") });
    expect(toPage(rows, 3, (r) => r.id)).toEqual({ items: ["a", "b", "c"], nextCursor: null });
    expect(toPage([], 3, (r: { id: string }) => r.id)).toEqual({ items: [], nextCursor: null });
  });
});
