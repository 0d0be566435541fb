import { describe, expect, it } from "vitest";
import { describeSyntaxError, parseJsonDocument } from "@/components/config/json-syntax";

function failure(text: string) {
  const result = parseJsonDocument(text);
  if (result.ok) throw new Error("expected a syntax error");
  return result;
}

describe("parseJsonDocument", () => {
  it("parses a valid document", () => {
    expect(parseJsonDocument('{"signing": {"activeKid": "k1"}}')).toEqual({ ok: true, value: { signing: { activeKid: "k1" } } });
  });

  it("gives the position, line and column of a syntax error the parser locates", () => {
    const error = failure('{\n  "a": 1,\n}');
    expect(error.position).toBe(12);
    expect([error.line, error.column]).toEqual([3, 1]);
    expect(error.message).toMatch(/position 12$/);
  });

  it("finds the position of an unexpected token, which V8 does not give, without quoting the text", () => {
    const text = '{\n "d": "SECRET-PRIVATE-MEMBER",\n "x": oops\n}';
    const error = failure(text);
    expect(error.position).toBe(text.indexOf("oops"));
    expect([error.line, error.column]).toEqual([3, 7]);
    expect(error.message).not.toContain("SECRET");
    expect(error.message).not.toContain('"');
  });

  it("never quotes the text around an error, whatever the error", () => {
    const secret = "c2VjcmV0LXByaXZhdGUta2V5LW1hdGVyaWFs";
    for (const text of [`{"d": "${secret}" x}`, `{"d": ${secret}}`, `{"d": "${secret}",}`, `["${secret}" "${secret}"]`, `{"d": "${secret}`, `{"d": "${secret}\u0001"}`]) {
      const error = failure(text);
      expect(describeSyntaxError(error)).not.toContain(secret.slice(0, 8));
      expect(error.position).toBeGreaterThanOrEqual(0);
      expect(error.position).toBeLessThanOrEqual(text.length);
    }
  });

  it("points at the end of a truncated document", () => {
    const error = failure('{"a": [1, 2');
    expect(error.position).toBe(11);
    expect(describeSyntaxError(error)).toMatch(/^Not valid JSON at line 1, column 12: /);
  });
});
