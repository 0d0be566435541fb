import { describe, expect, it } from "vitest";
import { etagOf, formVersion, parseIfMatch, versionMatches } from "@/lib/concurrency/versions";

describe("If-Match parsing (RFC 9110 §13.1.1)", () => {
  it("answers no precondition for a missing header or *", () => {
    expect(parseIfMatch(null)).toBeUndefined();
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch("*")).toBeUndefined();
    expect(parseIfMatch("  *  ")).toBeUndefined();
  });

  it("reads our strong tags, one or several", () => {
    expect(parseIfMatch('"v3"')).toEqual([3]);
    expect(parseIfMatch('"v3", "v12"')).toEqual([3, 12]);
    expect(parseIfMatch(etagOf(41))).toEqual([41]);
  });

  it("never matches a weak tag or a tag that is not ours (strong comparison)", () => {
    expect(parseIfMatch('W/"v3"')).toEqual([]);
    expect(parseIfMatch('"abc"')).toEqual([]);
    expect(parseIfMatch('"v0"')).toEqual([]);
    expect(parseIfMatch('"v-1"')).toEqual([]);
    expect(parseIfMatch('"3"')).toEqual([]);
    expect(versionMatches(parseIfMatch('W/"v3"'), 3)).toBe(false);
  });

  it("refuses a value that is not entity-tag syntax with a 400 naming the header", () => {
    for (const bad of ["v3", "3", '"v3', 'v3"', '"v 3"', "", ",", '"v3" "v4"']) {
      let error: unknown;
      try {
        parseIfMatch(bad);
      } catch (e) {
        error = e;
      }
      expect(error, `If-Match: ${bad}`).toMatchObject({ code: "validation_failed", status: 400, fieldErrors: [{ path: "If-Match" }] });
    }
  });
});

describe("version matching", () => {
  it("matches any version without a precondition, else only the listed ones", () => {
    expect(versionMatches(undefined, 7)).toBe(true);
    expect(versionMatches([7], 7)).toBe(true);
    expect(versionMatches([6, 7], 7)).toBe(true);
    expect(versionMatches([6], 7)).toBe(false);
    expect(versionMatches([], 7)).toBe(false);
  });

  it("reads a form's hidden version field", () => {
    expect(formVersion(null)).toBeUndefined();
    expect(formVersion("")).toBeUndefined();
    expect(formVersion("4")).toEqual([4]);
    expect(formVersion("four")).toEqual([]);
    expect(formVersion("0")).toEqual([]);
  });
});
