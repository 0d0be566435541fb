import type { Role } from "@/lib/auth/roles";
import { Badge, type BadgeTone } from "@/components/ui/badge";

const TONE: Record<Role, BadgeTone> = { admin: "blue", operator: "amber", viewer: "neutral" };

export function RoleBadge({ role }: { role: Role }) {
  return <Badge tone={TONE[role]}>{role}</Badge>;
}
