import { z } from "zod";
import { pageQuerySchema } from "@/lib/pagination";

export const auditQuerySchema = pageQuerySchema.extend({
  tenant: z.string().max(64).optional().describe("Only events of this tenant slug"),
  actor: z.string().max(320).optional().describe("Only events by this actor (email, token:<name>, cli, system)"),
  action: z
    .string()
    .max(100)
    .optional()
    .describe('Only this action; a trailing ".*" matches a prefix, e.g. "user.*"'),
  from: z.iso.datetime({ offset: true }).optional().describe("Events at or after this time"),
  to: z.iso.datetime({ offset: true }).optional().describe("Events before this time"),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEventSchema = z
  .object({
    id: z.string(),
    at: z.string().describe("ISO 8601 time of the change"),
    actor: z.object({ type: z.enum(["user", "token", "cli", "system", "client"]), id: z.string().nullable(), label: z.string() }),
    action: z.string(),
    target: z.object({ type: z.string(), id: z.string() }).nullable(),
    tenant: z.string().nullable(),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
  })
  .meta({ id: "AuditEvent" });
export type AuditEventView = z.infer<typeof auditEventSchema>;
