import { contract } from "@/lib/api/contract";
import { handler } from "@/lib/api/handler";
import { openApiDocument } from "@/lib/api/openapi";
import { env } from "@/lib/env";
import { VERSION } from "@/lib/version";

export const dynamic = "force-dynamic";

export const GET = handler(contract.openapi, async () =>
  Response.json(openApiDocument(env().publicUrl, VERSION), { headers: { "cache-control": "public, max-age=300" } }),
);
