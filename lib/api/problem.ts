import { z } from "zod";
import type { FieldError } from "@/lib/errors";

/** RFC 9457 problem details, as every /api/v1 error is answered. */
export const problemSchema = z
  .object({
    type: z.string().describe("URI naming the kind of problem"),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().describe("What went wrong with this request, safe to show"),
    instance: z.string().optional(),
    code: z.string().describe("Stable machine-readable code"),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe("Field errors"),
  })
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof problemSchema>;

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

export function problemBody(input: {
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
  instance?: string;
  requestId?: string;
}): Problem {
  return {
    type: `urn:keyward:problem:${input.code}`,
    title: TITLES[input.status] ?? "Error",
    status: input.status,
    detail: input.detail,
    code: input.code,
    ...(input.instance ? { instance: input.instance } : {}),
    ...(input.requestId ? { requestId: input.requestId } : {}),
    ...(input.errors && input.errors.length > 0 ? { errors: input.errors } : {}),
  };
}

export function problemResponse(body: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
  });
}
