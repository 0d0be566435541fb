/**
 * How long the property-based fuzzers run. A few seconds each by default;
 * with KEYWARD_LONG_TESTS=1 (CI sets it) a longer budget and many more runs.
 * fast-check stops at whichever comes first and reports what it ran.
 */
import fc from "fast-check";

export const LONG = process.env.KEYWARD_LONG_TESTS === "1";

/** fast-check parameters: bounded runs, a time budget, a seed printed on failure to replay it. */
export function budget(shortRuns = 300): fc.Parameters<unknown> {
  return {
    numRuns: LONG ? shortRuns * 40 : shortRuns,
    interruptAfterTimeLimit: LONG ? 20_000 : 3_000,
    markInterruptAsFailure: false,
  };
}

/** The vitest timeout of a fuzz test: its budget and room to finish the run in progress. */
export const FUZZ_TIMEOUT_MS = LONG ? 60_000 : 30_000;

/**
 * Strings shaped like the input (mutations of a valid sample: characters
 * flipped, cut, repeated, spliced with junk) and unrelated ones.
 */
export function mutated(samples: readonly string[]): fc.Arbitrary<string> {
  const sample = fc.constantFrom(...samples);
  const junk = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("\u0000", "-----", "=", ".", "\r\n", "\\n", "\u00ff", "\ud800", "{", "}", '"', "%", "&", "+"));
  return fc.oneof(
    { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
    {
      weight: 4,
      arbitrary: fc.tuple(sample, fc.nat(), fc.nat(), junk, fc.constantFrom("insert", "replace", "cut", "truncate", "repeat")).map(([s, a, b, j, op]) => {
        const i = a % (s.length + 1);
        const k = Math.min(s.length, i + (b % 16));
        if (op === "insert") return s.slice(0, i) + j + s.slice(i);
        if (op === "replace") return s.slice(0, i) + j + s.slice(k);
        if (op === "cut") return s.slice(0, i) + s.slice(k);
        if (op === "truncate") return s.slice(0, i);
        return s.slice(0, i) + s.slice(i, k).repeat(1 + (b % 5)) + s.slice(k);
      }),
    },
  );
}
