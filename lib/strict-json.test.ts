import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, parseStrictJson, StrictJsonError } from "@/lib/strict-json";

function refusal(text: string, maxDepth?: number): StrictJsonError {
  try {
    parseStrictJson(text, { maxDepth });
  } catch (error) {
    if (error instanceof StrictJsonError) return error;
    throw error;
  }
  throw new Error(`accepted: ${text.slice(0, 80)}`);
}

describe("parseStrictJson", () => {
  it("parses what JSON.parse parses when no member repeats", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        expect(parseStrictJson(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a repeated member, naming it and where it is", () => {
    expect(refusal('{"a":1,"a":2}')).toMatchObject({ code: "duplicate_key", message: 'the member "a" appears twice at the top level', path: "a" });
    expect(refusal('{"keys":[{"kid":"x"},{"kid":"y","kty":"EC","kty":"RSA"}]}')).toMatchObject({
      code: "duplicate_key",
      message: 'the member "kty" appears twice in keys.1',
      path: "keys.1.kty",
    });
    // The same name written with escapes is the same name.
    expect(refusal('{"alg":"PS256","\\u0061lg":"none"}')).toMatchObject({ code: "duplicate_key", message: 'the member "alg" appears twice at the top level' });
  });

  it("does not mistake equal values, or equal names in sibling objects, for repeats", () => {
    expect(parseStrictJson('{"a":"a","b":{"a":1},"c":[{"a":1},{"a":2}]}')).toEqual({ a: "a", b: { a: 1 }, c: [{ a: 1 }, { a: 2 }] });
    expect(parseStrictJson('{"a":"\\"a\\":1,","b":"{\\"a\\":2"}')).toEqual({ a: '"a":1,', b: '{"a":2' });
  });

  it("finds a repeat that fast-check injects anywhere in a document", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 6 }), fc.nat(), (object, pick) => {
        const names = Object.keys(object);
        const name = names[pick % names.length]!;
        const text = `{"outer":${JSON.stringify(object).slice(0, -1)},${JSON.stringify(name)}:null}}`;
        expect(refusal(text)).toMatchObject({ code: "duplicate_key", path: `outer.${name}` });
      }),
      { numRuns: 200 },
    );
  });

  it("refuses deep nesting without a stack overflow, however deep", () => {
    for (const depth of [MAX_JSON_DEPTH + 1, 10_000, 1_000_000]) {
      const text = `${"[".repeat(depth)}${"]".repeat(depth)}`;
      expect(refusal(text)).toMatchObject({ code: "too_deep", message: `the JSON is nested more than ${MAX_JSON_DEPTH} levels deep` });
      const objects = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
      expect(refusal(objects).code).toBe("too_deep");
    }
    expect(parseStrictJson(`${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`)).toBeDefined();
    expect(refusal("[[[1]]]", 2).code).toBe("too_deep");
  });

  it("answers invalid JSON with a position and never the text", () => {
    const secret = "s3cr3t-value";
    const error = refusal(`{"password": ${secret}}`);
    expect(error.code).toBe("invalid_json");
    expect(error.message).toMatch(/^not valid JSON/);
    expect(error.message).not.toContain(secret);
  });

  it("throws only StrictJsonError, whatever the text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 }).map((j) => j.slice(0, Math.max(0, j.length - 1)))), (text) => {
        try {
          parseStrictJson(text);
        } catch (error) {
          expect(error).toBeInstanceOf(StrictJsonError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
