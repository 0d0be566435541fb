import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { testRegistrationRequest } from "@/lib/dcr/tester";

export const dynamic = "force-dynamic";

export const POST = handler(contract.testRegistration, async ({ actor, params, body }) => testRegistrationRequest(actor, params.tenant, body));
