"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { createClient } from "@/lib/clients/clients";
import { fieldError } from "@/lib/errors";

export type CreatedClientData = { clientId: string; name: string; clientSecret?: string };

/** Creates a TPP client; a client_secret_basic client's secret is in the answer once. */
export async function createClientAction(_prev: ActionResult<CreatedClientData>, form: FormData): Promise<ActionResult<CreatedClientData>> {
  return runAction(async (actor) => {
    const slug = String(form.get("tenant") ?? "");
    const method = String(form.get("tokenEndpointAuthMethod") ?? "");
    const jwksText = String(form.get("jwks") ?? "").trim();
    const jwksUri = String(form.get("jwksUri") ?? "").trim();
    let jwks: unknown;
    if (method === "private_key_jwt" && jwksText) {
      try {
        jwks = JSON.parse(jwksText);
      } catch {
        throw fieldError("jwks", "is not valid JSON");
      }
    }
    const created = await createClient(actor, slug, {
      name: String(form.get("name") ?? ""),
      tokenEndpointAuthMethod: method,
      grantTypes: form.getAll("grantTypes").map(String),
      scope: String(form.get("scope") ?? "").trim(),
      ...(method === "private_key_jwt" && jwks !== undefined ? { jwks } : {}),
      ...(method === "private_key_jwt" && jwksUri ? { jwksUri } : {}),
    });
    revalidatePath(`/tenants/${slug}/clients`);
    return {
      message: `Created client ${created.name}`,
      data: { clientId: created.clientId, name: created.name, ...(created.clientSecret ? { clientSecret: created.clientSecret } : {}) },
    };
  });
}
