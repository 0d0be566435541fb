/**
 * A value taken from untrusted input (a JWT's claims, a JSON body), as an
 * error message shows it: a string as it is, anything else as JSON, cut at
 * `max` characters. Never throws: `String(value)` does on an object whose
 * `toString` is not a function (`{"toString": null}`).
 */
export function shown(value: unknown, max = 200): string {
  let text: string;
  if (typeof value === "string") text = value;
  else if (value === undefined) text = "undefined";
  else {
    try {
      text = JSON.stringify(value) ?? typeof value;
    } catch {
      text = typeof value;
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
