import type { UserView } from "@/lib/auth/schemas";
import { RoleBadge } from "@/components/auth/role-badge";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Table, Td } from "@/components/ui/page";
import { StackedTime } from "@/components/ui/stacked-time";
import { ChangeRoleForm } from "@/components/users/change-role-form";
import { ResetLinkForm } from "@/components/users/reset-link-form";
import { ToggleDisabledForm } from "@/components/users/toggle-disabled-form";
import { ChangeTenantsForm } from "@/components/users/change-tenants-form";
import { TenantScopeText } from "@/components/auth/tenant-scope-fields";

const STATUS_TONE: Record<UserView["status"], BadgeTone> = { active: "green", invited: "amber", disabled: "red" };

export function UsersTable({ users, currentUserId, tenants }: { users: UserView[]; currentUserId?: string; tenants: readonly string[] }) {
  return (
    <Table caption="Console users, oldest first" head={["Email", "Name", "Role", "Tenants", "Status", "Last sign-in", "Created", "Actions"]}>
      {users.map((u) => (
        <tr key={u.id} data-testid="user-row" data-email={u.email}>
          <Td className="font-medium">
            {u.email}
            {u.id === currentUserId ? <span className="ml-1 text-xs font-normal text-slate-600">(you)</span> : null}
          </Td>
          <Td>{u.name}</Td>
          <Td>
            <RoleBadge role={u.role} />
          </Td>
          <Td className="whitespace-normal" testId="user-tenants">
            <TenantScopeText tenants={u.tenants} />
          </Td>
          <Td>
            <Badge tone={STATUS_TONE[u.status]}>{u.status}</Badge>
          </Td>
          <Td>
            <StackedTime value={u.lastLoginAt} />
          </Td>
          <Td>
            <StackedTime value={u.createdAt} />
          </Td>
          <Td>
            {/* A fixed width so that a refusal wraps below its buttons instead of widening the
                table; `relative` keeps the sr-only labels inside the table's scroll box. */}
            <div className="relative flex w-40 flex-wrap items-start gap-2">
              {/* Keyed by role so the select shows the saved role after a change made elsewhere. */}
              <ChangeRoleForm key={u.role} userId={u.id} email={u.email} role={u.role} version={u.version} />
              <ToggleDisabledForm userId={u.id} email={u.email} disabled={u.status === "disabled"} isSelf={u.id === currentUserId} />
              <ResetLinkForm userId={u.id} email={u.email} />
              <ChangeTenantsForm key={JSON.stringify(u.tenants)} userId={u.id} email={u.email} tenants={tenants} value={u.tenants} version={u.version} />
            </div>
          </Td>
        </tr>
      ))}
    </Table>
  );
}
