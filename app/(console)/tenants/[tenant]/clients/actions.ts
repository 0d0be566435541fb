"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { createClient } from "@/lib/clients/clients";
import { fieldError } from "@/lib/errors";

export type CreatedClientData = { clientId: string; name: string; clientSecret?: string };

/** The pasted JWKS as a set: a single JWK on its own is taken as a set of one. */
function parseJwks(value: FormDataEntryValue | null): unknown {
  const text = typeof value === "string" ? value.trim() : "";
  if (!text) throw fieldError("jwks", "is required");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw fieldError("jwks", "is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw fieldError("jwks", 'must be a JWK set: {"keys": [ … ]}');
  return "keys" in parsed ? parsed : { keys: [parsed] };
}

/** The create input of the form, as the schema expects it (only the chosen key source goes in). */
function clientInput(form: FormData): Record<string, unknown> {
  const method = String(form.get("tokenEndpointAuthMethod") ?? "");
  const input: Record<string, unknown> = {
    name: String(form.get("name") ?? ""),
    tokenEndpointAuthMethod: method,
    grantTypes: form.getAll("grantTypes").map(String),
    scope: String(form.get("scope") ?? "").trim(),
  };
  if (method === "private_key_jwt") {
    if (String(form.get("keySource") ?? "jwks") === "jwks_uri") {
      const jwksUri = String(form.get("jwksUri") ?? "").trim();
      if (!jwksUri) throw fieldError("jwksUri", "is required");
      input.jwksUri = jwksUri;
    } else {
      input.jwks = parseJwks(form.get("jwks"));
    }
  }
  return input;
}

/** Creates a TPP client; a client_secret_basic client's secret is in the answer once. */
export async function createClientAction(_prev: ActionResult<CreatedClientData>, form: FormData): Promise<ActionResult<CreatedClientData>> {
  return runAction(async (actor) => {
    const slug = String(form.get("tenant") ?? "");
    const created = await createClient(actor, slug, clientInput(form));
    revalidatePath(`/tenants/${encodeURIComponent(slug)}/clients`, "layout");
    return {
      message: `Created client ${created.name}`,
      data: { clientId: created.clientId, name: created.name, ...(created.clientSecret ? { clientSecret: created.clientSecret } : {}) },
    };
  });
}
