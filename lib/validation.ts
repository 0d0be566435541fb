import { z } from "zod";
import { AppError, type FieldError } from "@/lib/errors";

// A missing field reads "is required", not zod's "expected string, received undefined".
z.config({
  customError: (issue) =>
    (issue.code === "invalid_type" || issue.code === "invalid_value") && issue.input === undefined ? "is required" : undefined,
});

/** zod issues as field errors: `path` joined with dots, the message as zod (or our schema) words it. */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
}

/** Parses input with a schema; throws a 400 AppError naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors = toFieldErrors(result.error);
  const summary = fieldErrors.map((f) => `${f.path}: ${f.message}`).join("; ");
  throw new AppError("validation_failed", `invalid input: ${summary}`, fieldErrors);
}
