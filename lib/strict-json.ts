/**
 * JSON.parse with two refusals that JSON.parse itself does not make:
 *
 * - a member name twice in one object. RFC 8259 §4 leaves the meaning open
 *   and parsers differ (JSON.parse keeps the last, others the first), so a
 *   document with `"alg": "PS256", "alg": "none"` can read differently to
 *   whoever checked it and whoever acts on it;
 * - nesting deeper than a limit, checked before anything recursive (the
 *   schemas, JSON.stringify on the way to the database) sees the value.
 *
 * The scan is a single loop over the text with an explicit stack, so any
 * depth of input costs memory in proportion to its length and never a
 * call-stack frame per level.
 */
import { fieldError } from "@/lib/errors";

/** The deepest nesting any document Keyward takes needs is below 10; 64 leaves room. */
export const MAX_JSON_DEPTH = 64;

export type StrictJsonErrorCode = "invalid_json" | "duplicate_key" | "too_deep";

/** Refusal of a JSON text; `path` (dot-separated, "" for the top) says where, `message` names the problem. */
export class StrictJsonError extends Error {
  override readonly name = "StrictJsonError";
  constructor(
    readonly code: StrictJsonErrorCode,
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

interface Frame {
  kind: "object" | "array";
  keys: Set<string>;
  /** In an object: the next string is a member name. */
  expectKey: boolean;
  /** The current member name, or array index. */
  at: string;
  index: number;
}

const pathOf = (stack: Frame[]) => stack.map((f) => f.at).filter((s) => s !== "").join(".");

/**
 * Parses JSON text, refusing duplicate member names and nesting deeper than
 * `maxDepth`.
 *
 * @throws StrictJsonError `invalid_json` (with JSON.parse's position, never the
 *   text), `duplicate_key` naming the member and where it is, or `too_deep`.
 * @example
 * parseStrictJson('{"a":1}'); // { a: 1 }
 * parseStrictJson('{"a":1,"a":2}'); // throws: the member "a" appears twice (at the top level)
 */
export function parseStrictJson(text: string, options: { maxDepth?: number } = {}): unknown {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const stack: Frame[] = [];
  let duplicate: StrictJsonError | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      while (end < text.length) {
        const d = text.charCodeAt(end);
        if (d === 0x5c /* \ */) end += 2;
        else if (d === 0x22) break;
        else end += 1;
      }
      const top = stack[stack.length - 1];
      if (top?.kind === "object" && top.expectKey && duplicate === null) {
        let name: string | null = null;
        try {
          name = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          name = null; // a broken string: JSON.parse below says where
        }
        if (name !== null) {
          if (top.keys.has(name)) {
            const where = pathOf(stack.slice(0, -1));
            duplicate = new StrictJsonError("duplicate_key", `the member ${JSON.stringify(name)} appears twice ${where ? `in ${where}` : "at the top level"}`, where ? `${where}.${name}` : name);
          }
          top.keys.add(name);
          top.at = name;
        }
        top.expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth) {
        throw new StrictJsonError("too_deep", `the JSON is nested more than ${maxDepth} levels deep`, pathOf(stack));
      }
      const kind = c === 0x7b ? "object" : "array";
      stack.push({ kind, keys: new Set(), expectKey: kind === "object", at: kind === "array" ? "0" : "", index: 0 });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.kind === "object") top.expectKey = true;
      else if (top) top.at = String(++top.index);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text, which may hold a secret: say where, not what.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new StrictJsonError("invalid_json", `not valid JSON${at ? ` (error at position ${at})` : ""}`, "");
  }
  if (duplicate) throw duplicate;
  return value;
}

/**
 * A form field's JSON text, parsed strictly: a 400 naming the field when it
 * is not JSON, repeats a member or nests too deep. The message never quotes
 * the text (it may be a private JWK).
 *
 * @example
 * const jwks = jsonField(String(form.get("jwks")), "jwks");
 */
export function jsonField(text: string, field: string): unknown {
  try {
    return parseStrictJson(text);
  } catch (error) {
    if (!(error instanceof StrictJsonError)) throw error;
    throw fieldError(field, error.code === "invalid_json" ? "is not valid JSON" : error.message);
  }
}
