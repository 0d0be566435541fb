import { expect } from "vitest";
import { isAppError, type AppError } from "@/lib/errors";

/**
 * Awaits a service call that must be refused: an AppError with a 4xx status
 * whose message or a field error names the problem (`says`), on the field
 * `path` when given. Anything else (success, a 5xx, a crash of another type)
 * fails the case.
 */
export async function expectRefused(call: Promise<unknown>, expected: { says: RegExp; path?: string | RegExp; status?: number }, name: string): Promise<AppError> {
  let error: unknown;
  try {
    await call;
  } catch (e) {
    error = e;
  }
  expect(error, `${name}: must be refused`).toBeDefined();
  if (!isAppError(error)) throw new Error(`${name}: refused with ${String((error as Error)?.name)}: ${String((error as Error)?.message)} instead of an AppError`);
  const e = error as AppError;
  if (expected.status !== undefined) expect(e.status, `${name}: status`).toBe(expected.status);
  else expect(e.status, `${name}: a 4xx (${e.message})`).toBeGreaterThanOrEqual(400);
  expect(e.status, `${name}: never a 5xx (${e.message})`).toBeLessThan(500);
  const texts = [e.message, ...e.fieldErrors.map((f) => `${f.path}: ${f.message}`)];
  expect(texts.some((t) => expected.says.test(t)), `${name}: ${JSON.stringify(texts)} should match ${expected.says}`).toBe(true);
  if (expected.path !== undefined) {
    const paths = e.fieldErrors.map((f) => f.path);
    const ok = paths.some((p) => (typeof expected.path === "string" ? p === expected.path || p.startsWith(`${expected.path}.`) : expected.path!.test(p)));
    expect(ok, `${name}: field errors ${JSON.stringify(paths)} should name ${String(expected.path)}`).toBe(true);
  }
  return e;
}

/** The protocol server still answers: the tenant's JWKS is served. */
export async function expectServing(base: string, slug: string): Promise<void> {
  const res = await fetch(`${base}/${slug}/oauth2/v1/certs`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { keys: unknown[] }).keys).toBeInstanceOf(Array);
}
