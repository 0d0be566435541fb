/**
 * A route parameter as typed: params may arrive percent-encoded, and a bad
 * escape is just an unknown tenant or key.
 */
export function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
