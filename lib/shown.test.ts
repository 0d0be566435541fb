import { describe, expect, it } from "vitest";
import { shown } from "@/lib/shown";

describe("shown", () => {
  it("shows strings as they are and other values as JSON", () => {
    expect(shown("PS256")).toBe("PS256");
    expect(shown(42)).toBe("42");
    expect(shown(null)).toBe("null");
    expect(shown(undefined)).toBe("undefined");
    expect(shown(["a", 1])).toBe('["a",1]');
  });

  it("never throws on hostile objects, where String() does", () => {
    const hostile = JSON.parse('{"toString":null,"valueOf":null}') as unknown;
    expect(() => String(hostile)).toThrow(TypeError);
    expect(shown(hostile)).toBe('{"toString":null,"valueOf":null}');
    expect(shown(10n)).toBe("bigint");
  });

  it("cuts long values", () => {
    expect(shown("x".repeat(300))).toHaveLength(200);
    expect(shown("x".repeat(300)).endsWith("…")).toBe(true);
  });
});
