import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/auth/roles";
import { redactSecrets } from "@/lib/audit/redact";

export interface AuditInput {
  /** Dotted verb, e.g. "user.create", "token.revoke", "auth.login_failed". */
  action: string;
  target?: { type: string; id: string };
  tenantSlug?: string;
  /** Public summary of the object before the change. */
  before?: unknown;
  /** Public summary of the object after the change. */
  after?: unknown;
}

function summary(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(redactSecrets(value));
}

/**
 * Writes one audit event. Call it with the transaction client of the change it
 * describes, so a change is never unaudited and an audit never describes a change
 * that rolled back.
 */
export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorType: actor.type,
      actorId: actor.id ?? null,
      actorLabel: actor.label,
      action: input.action,
      targetType: input.target?.type ?? null,
      targetId: input.target?.id ?? null,
      tenantSlug: input.tenantSlug ?? null,
      requestId: actor.requestId ?? null,
      ip: actor.ip ?? null,
      before: summary(input.before),
      after: summary(input.after),
    },
  });
}
