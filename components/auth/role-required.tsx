import type { Role } from "@/lib/auth/roles";

/** What a page shows instead of its content to someone whose role is too low for it. */
export function RoleRequired({ role, current, what, scopedTo }: { role: Role; current: Role; what: string; scopedTo?: readonly string[] }) {
  const limited = scopedTo !== undefined && current === role;
  return (
    <div data-testid="role-required" className="rounded-lg border border-amber-300 bg-amber-50 px-6 py-8 text-center">
      <h2 className="text-base font-semibold text-amber-950">You need the {role} role{limited ? " over every tenant" : ""}</h2>
      <p className="mt-1 text-sm text-amber-900">
        Only a user with the {role} role{scopedTo !== undefined ? " over every tenant" : ""} can {what}. You are signed in as{" "}
        {current === "admin" || current === "operator" ? "an" : "a"} {current}
        {scopedTo !== undefined ? ` of ${scopedTo.join(", ") || "no tenant"} only` : ""}.
      </p>
    </div>
  );
}
