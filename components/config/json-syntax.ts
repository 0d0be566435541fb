/**
 * Parsing the text of a configuration document, with a syntax error that says
 * where it is and never quotes the text: the document may hold private JWKs.
 * Client-safe (no server imports): the import form checks before sending, and
 * the server action checks again for callers that skip the form.
 */
export type JsonDocumentResult =
  | { ok: true; value: unknown }
  | { ok: false; message: string; position: number; line: number; column: number };

function isEndOfInput(message: string, length: number): boolean {
  if (/unexpected end|end of data/i.test(message)) return true;
  const at = /at position (\d+)/.exec(message);
  return at !== null && Number(at[1]) >= length;
}

// Whether the first `length` characters already hold a syntax error (as
// opposed to merely stopping early). JSON is read left to right with one
// character of lookahead, so this is false up to the error and true after it.
function failsWithin(text: string, length: number): boolean {
  try {
    JSON.parse(text.slice(0, length));
    return false;
  } catch (error) {
    return !isEndOfInput(error instanceof Error ? error.message : String(error), length);
  }
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next === -1) break;
    offset = next + 1;
  }
  return Math.min(offset + column - 1, text.length);
}

/** Where the parser stopped: from its message when it says, else by narrowing the prefix that fails. */
function errorPosition(text: string, message: string): number {
  const at = /at position (\d+)/.exec(message);
  if (at) return Math.min(Number(at[1]), text.length);
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return offsetOf(text, Number(lineColumn[1]), Number(lineColumn[2]));
  if (isEndOfInput(message, text.length)) return text.length;
  // V8's "Unexpected token 'x', "…" is not valid JSON" gives no position.
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (failsWithin(text, mid)) high = mid;
    else low = mid + 1;
  }
  return Math.max(low - 1, 0);
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  return { line, column: position - (before.lastIndexOf("\n") + 1) + 1 };
}

/**
 * The parser's own words without any of the input: V8 quotes up to twenty
 * characters around the error ("Unexpected token 'x', "…"d": "AQAB…" is not
 * valid JSON"), other engines quote a token. Line and column are added by the
 * caller, so the engine's are dropped.
 */
function withoutInput(message: string): string {
  return message
    .replace(/^JSON\.parse:\s*/, "")
    .replace(/,\s*(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)?\s*is not valid JSON\s*$/, "")
    .replace(/"[^"]*"/g, "…")
    .replace(/\s*\(line \d+ column \d+\)/, "")
    .replace(/\s+at line \d+ column \d+ of the JSON data$/, "")
    .trim();
}

/**
 * Parses a JSON document; a syntax error comes back with its position, line and
 * column, and a message that quotes nothing of the text.
 *
 * @example
 * parseJsonDocument('{"a": 1,}')
 * // { ok: false, message: 'Expected double-quoted property name in JSON at position 8', position: 8, line: 1, column: 9 }
 */
export function parseJsonDocument(text: string): JsonDocumentResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const position = errorPosition(text, raw);
    const message = withoutInput(raw);
    return { ok: false, message: /position \d+/.test(message) ? message : `${message} at position ${position}`, position, ...lineAndColumn(text, position) };
  }
}

/** A syntax error as one sentence for the page: "Not valid JSON at line 3, column 9: …". */
export function describeSyntaxError(error: { message: string; line: number; column: number }): string {
  return `Not valid JSON at line ${error.line}, column ${error.column}: ${error.message}.`;
}
