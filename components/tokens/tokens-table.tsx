import type { ApiTokenView } from "@/lib/auth/schemas";
import { TenantScopeText } from "@/components/auth/tenant-scope-fields";
import { RoleBadge } from "@/components/auth/role-badge";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Table, Td } from "@/components/ui/page";
import { StackedTime } from "@/components/ui/stacked-time";
import { RevokeTokenForm } from "@/components/tokens/revoke-token-form";

const STATUS_TONE: Record<ApiTokenView["status"], BadgeTone> = { active: "green", expired: "amber", revoked: "red" };

export function TokensTable({ tokens }: { tokens: ApiTokenView[] }) {
  return (
    <Table
      caption="API tokens, newest first"
      head={["Name", "Role", "Tenants", "Prefix", "Created by", "Created", "Expires", "Last used", "Status", "Actions"]}
    >
      {tokens.map((t) => (
        <tr key={t.id} data-testid="token-row" data-name={t.name}>
          <Td className="font-medium">
            <span className="inline-block max-w-48 whitespace-normal break-words">{t.name}</span>
          </Td>
          <Td>
            <RoleBadge role={t.role} />
          </Td>
          <Td className="whitespace-normal" testId="token-tenants">
            <TenantScopeText tenants={t.tenants} />
          </Td>
          <Td>
            <code className="font-mono text-xs">{t.prefix}…</code>
          </Td>
          <Td>{t.createdBy}</Td>
          <Td>
            <StackedTime value={t.createdAt} />
          </Td>
          <Td>
            <StackedTime value={t.expiresAt} />
          </Td>
          <Td>
            <StackedTime value={t.lastUsedAt} />
          </Td>
          <Td>
            <Badge tone={STATUS_TONE[t.status]}>{t.status}</Badge>
          </Td>
          <Td>{t.status === "active" ? <RevokeTokenForm tokenId={t.id} name={t.name} /> : <span className="sr-only">none</span>}</Td>
        </tr>
      ))}
    </Table>
  );
}
