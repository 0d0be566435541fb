"use server";

import { jsonField } from "@/lib/strict-json";
import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { createClient, deleteClient, updateClient } from "@/lib/clients/clients";
import { addClientKey, refreshClientKeys, removeClientKey } from "@/lib/clients/client-keys";
import type { ClientKeyView } from "@/lib/clients/schemas";
import { fieldError } from "@/lib/errors";
import { formVersion } from "@/lib/concurrency/versions";

export type CreatedClientData = { clientId: string; name: string; tokenEndpointAuthMethod: string; clientSecret?: string };

/** The pasted JWKS as a set: a single JWK on its own is taken as a set of one. */
function parseJwks(value: FormDataEntryValue | null): unknown {
  const text = typeof value === "string" ? value.trim() : "";
  if (!text) throw fieldError("jwks", "is required");
  const parsed = jsonField(text, "jwks");
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw fieldError("jwks", 'must be a JWK set: {"keys": [ … ]}');
  return "keys" in parsed ? parsed : { keys: [parsed] };
}

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();

/**
 * The metadata fields of the create and edit forms. An empty optional field
 * is left out at creation, and clears the value on edit (null).
 */
function metadataInput(form: FormData, empty: undefined | null): Record<string, unknown> {
  const optional = (name: string) => text(form, name) || empty;
  return {
    grantTypes: form.getAll("grantTypes").map(String),
    responseTypes: form.getAll("responseTypes").map(String),
    redirectUris: text(form, "redirectUris")
      .split(/\r?\n/)
      .map((u) => u.trim())
      .filter((u) => u !== ""),
    roles: text(form, "roles")
      .split(/[\s,]+/)
      .filter((r) => r !== ""),
    ...Object.fromEntries(
      ["tokenEndpointAuthSigningAlg", "idTokenSignedResponseAlg", "requestObjectSigningAlg", "softwareId", "orgId", "orgName"]
        .filter((name) => form.has(name))
        .map((name) => [name, optional(name)]),
    ),
  };
}

/** The create input of the form, as the schema expects it (only the chosen key source goes in). */
function clientInput(form: FormData): Record<string, unknown> {
  const method = String(form.get("tokenEndpointAuthMethod") ?? "");
  const input: Record<string, unknown> = {
    name: String(form.get("name") ?? ""),
    tokenEndpointAuthMethod: method,
    scope: String(form.get("scope") ?? "").trim(),
    ...metadataInput(form, undefined),
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
export type FetchedClientKeysData = { keys: ClientKeyView[]; fetchedAt: string; warnings: string[] };

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
  const parsed = jsonField(text, "jwk");
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

/**
 * Saves the edit form: name and scope of any client, and for a client made
 * here its metadata (a DCR client's metadata is its TPP's, RFC 7592).
 */
export async function updateClientAction(slug: string, clientId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async (actor) => {
    const input: Record<string, unknown> = { name: text(form, "name"), scope: text(form, "scope") };
    if (form.get("editMetadata") === "yes") {
      Object.assign(input, metadataInput(form, null));
      if (form.has("tlsClientAuthSubjectDn")) input.tlsClientAuthSubjectDn = text(form, "tlsClientAuthSubjectDn");
      if (form.has("jwksUri")) input.jwksUri = text(form, "jwksUri");
    }
    // The version the form was opened with: a change saved meanwhile is not overwritten.
    const client = await updateClient(actor, slug, clientId, input, { expectedVersion: formVersion(form.get("version")) });
    return { message: `Client ${client.name} saved` };
  });
  if (result.ok) refresh(slug);
  return result;
}

/** Test: fetches the client's jwks_uri now and shows the keys found, or the upstream's fault. */
export async function testClientKeysAction(slug: string, clientId: string, _prev: ActionResult<FetchedClientKeysData>, _form: FormData): Promise<ActionResult<FetchedClientKeysData>> {
  const result = await runAction<FetchedClientKeysData>(async (actor) => {
    const found = await refreshClientKeys(actor, slug, clientId);
    return { message: `${found.keys.length} ${found.keys.length === 1 ? "key" : "keys"} fetched`, data: { keys: found.keys, fetchedAt: found.fetchedAt, warnings: found.warnings } };
  });
  // The fetch health changed either way.
  refresh(slug);
  return result;
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
