import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { createPasswordResetLink } from "@/lib/auth/users";

export const dynamic = "force-dynamic";

export const POST = handler(contract.createResetLink, async ({ actor, params }) => createPasswordResetLink(actor, params.id));
