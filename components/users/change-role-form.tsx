"use client";

import { changeRoleAction } from "@/app/(console)/admin/users/actions";
import { ROLES, type Role } from "@/lib/auth/roles";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";

export function ChangeRoleForm({ userId, email, role, version }: { userId: string; email: string; role: Role; version: number }) {
  const { state, formAction, onSubmit, pending, formRef } = useServerForm(changeRoleAction);
  const selectId = `role-${userId}`;
  const alertId = `${selectId}-alert`;
  const failed = !state.ok && state.message !== "";
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="basis-full space-y-2">
      <input type="hidden" name="id" value={userId} />
      <input type="hidden" name="version" value={version} />
      <div className="flex items-center gap-2">
        <label htmlFor={selectId} className="sr-only">
          Role of {email}
        </label>
        <select
          id={selectId}
          name="role"
          defaultValue={role}
          aria-invalid={failed || undefined}
          aria-describedby={failed ? alertId : undefined}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600 aria-[invalid=true]:border-red-600"
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <Button type="submit" variant="secondary" size="sm" disabled={pending}>
          {pending ? "Saving…" : "Save"}
          <span className="sr-only"> role of {email}</span>
        </Button>
      </div>
      <div className="whitespace-normal empty:hidden">
        <FormAlert state={state} id={alertId} />
      </div>
    </form>
  );
}
