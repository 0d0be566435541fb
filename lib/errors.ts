/**
 * The one domain error type. `code` is stable (clients and tests match on it),
 * `message` is safe to show to the user, `status` is the HTTP status the REST API
 * answers with, and `fieldErrors` point at the input that is wrong.
 */
export interface FieldError {
  /** JSON-pointer-like path of the field, e.g. "email" or "keys.0.kid". */
  path: string;
  message: string;
}

export type ErrorCode =
  | "validation_failed"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "precondition_failed"
  | "last_admin"
  | "rate_limited"
  | "locked"
  | "unsupported_media_type"
  | "payload_too_large"
  | "upstream_failed"
  | "database_unavailable"
  | "internal";

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  last_admin: 409,
  rate_limited: 429,
  locked: 429,
  unsupported_media_type: 415,
  payload_too_large: 413,
  upstream_failed: 502,
  database_unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors: FieldError[] = [],
    status?: number,
  ) {
    super(message);
    this.name = "AppError";
    this.status = status ?? STATUS[code];
  }
}

/** A validation failure for one field. */
export function fieldError(path: string, message: string): AppError {
  return new AppError("validation_failed", `${path}: ${message}`, [{ path, message }]);
}

export function notFound(what: string): AppError {
  return new AppError("not_found", `${what} was not found`);
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError || (error instanceof Error && error.name === "AppError" && "code" in error);
}

/**
 * Runs a page's load, answering null when the service refuses the actor's
 * role, so the page can show a role notice instead of an error page.
 */
export async function unlessForbidden<T>(load: () => Promise<T>): Promise<T | null> {
  return nullOn("forbidden", load);
}

/** Runs a page's load, answering null when the object does not exist (the page then calls Next's notFound()). */
export async function unlessNotFound<T>(load: () => Promise<T>): Promise<T | null> {
  return nullOn("not_found", load);
}

async function nullOn<T>(code: ErrorCode, load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (isAppError(error) && error.code === code) return null;
    throw error;
  }
}
