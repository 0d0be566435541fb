"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { createClient, deleteClient, updateClient } from "@/lib/clients/clients";
import { addClientKey, removeClientKey } from "@/lib/clients/client-keys";
import type { ClientKeyView } from "@/lib/clients/schemas";
import { fieldError } from "@/lib/errors";

export type CreatedClientData = { clientId: string; name: string; tokenEndpointAuthMethod: string; clientSecret?: string };

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
  if (method === "tls_client_auth") input.tlsClientAuthSubjectDn = String(form.get("tlsClientAuthSubjectDn") ?? "").trim() || undefined;
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
      data: { clientId: created.clientId, name: created.name, tokenEndpointAuthMethod: created.tokenEndpointAuthMethod, ...(created.clientSecret ? { clientSecret: created.clientSecret } : {}) },
    };
  });
}

export type AddedClientKeyData = { key: ClientKeyView };

function clientsPath(slug: string): string {
  return `/tenants/${encodeURIComponent(slug)}/clients`;
}

/** The list and every client page live under this path. */
function refresh(slug: string): void {
  revalidatePath(clientsPath(slug), "layout");
}

/** The pasted JWK: one key on its own, or a set holding exactly one. */
function parseJwk(value: FormDataEntryValue | null): Record<string, unknown> {
  const text = typeof value === "string" ? value.trim() : "";
  if (!text) throw fieldError("jwk", "is required");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw fieldError("jwk", "is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw fieldError("jwk", "must be a JWK: a JSON object with kty");
  if ("keys" in parsed) {
    const keys = (parsed as { keys: unknown }).keys;
    if (!Array.isArray(keys) || keys.length !== 1 || typeof keys[0] !== "object" || keys[0] === null) {
      throw fieldError("jwk", "holds a JWK set; paste one key at a time");
    }
    return keys[0] as Record<string, unknown>;
  }
  return parsed as Record<string, unknown>;
}

/** Suspends or reactivates a client: a suspended client gets no tokens. */
export async function setClientStatusAction(slug: string, clientId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async (actor) => {
    const status = form.get("status") === "suspended" ? "suspended" : "active";
    const client = await updateClient(actor, slug, clientId, { status });
    return { message: `Client ${client.name} ${client.status === "suspended" ? "suspended" : "reactivated"}` };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function deleteClientAction(slug: string, clientId: string, _prev: ActionResult, _form: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async (actor) => {
    await deleteClient(actor, slug, clientId);
    return { message: `Client ${clientId} deleted` };
  });
  // Only the list: the deleted client's page is left by the browser, not rendered again as a 404.
  if (result.ok) revalidatePath(clientsPath(slug));
  return result;
}

/** Adds a key to the client's JWKS: the TPP's PEM signing certificate, or a public JWK. */
export async function addClientKeyAction(slug: string, clientId: string, _prev: ActionResult<AddedClientKeyData>, form: FormData): Promise<ActionResult<AddedClientKeyData>> {
  const result = await runAction<AddedClientKeyData>(async (actor) => {
    const format = String(form.get("format") ?? "certificate");
    const pem = String(form.get("certificatePem") ?? "");
    if (format !== "jwk" && !pem.trim()) throw fieldError("certificatePem", "is required: paste the certificate or load its file");
    const input = format === "jwk" ? { jwk: parseJwk(form.get("jwk")) } : { certificatePem: pem };
    const key = await addClientKey(actor, slug, clientId, input);
    return { message: `Key ${key.kid ?? ""} added`, data: { key } };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function removeClientKeyAction(slug: string, clientId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async (actor) => {
    const kid = String(form.get("kid") ?? "");
    await removeClientKey(actor, slug, clientId, kid);
    return { message: `Key ${kid} removed` };
  });
  if (result.ok) refresh(slug);
  return result;
}
