import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

export const GET = handler(contract.me, async ({ actor }) => ({
  type: actor.type,
  id: actor.id ?? null,
  label: actor.label,
  role: actor.role,
  tenants: actor.tenants ? [...actor.tenants] : null,
}));
