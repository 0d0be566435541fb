"use server";

import { jsonField } from "@/lib/strict-json";
import { revalidatePath } from "next/cache";
import { formObject, runAction, type ActionResult } from "@/lib/actions/action-result";
import { AppError, fieldError, isAppError, type FieldError } from "@/lib/errors";
import { createDirectory, deleteDirectory, issueSandboxSsa, refreshDirectoryKeys } from "@/lib/directories/directories";
import type { IdpKeySummary } from "@/lib/idps/idp-keys";

export type CreatedDirectoryData = { id: string };
export type DirectoryKeysData = { keys: IdpKeySummary[]; fetchedAt: string | null };
export type IssuedSsaData = { softwareStatement: string; claims: Record<string, unknown> };

function directoriesPath(slug: string): string {
  return `/tenants/${encodeURIComponent(slug)}/directories`;
}

/** The list and every directory page live under this path. */
function refresh(slug: string): void {
  revalidatePath(directoriesPath(slug), "layout");
}

/** The pasted JWKS as a set: a single JWK on its own is taken as a set of one. */
function parseJwks(value: FormDataEntryValue | null): unknown {
  const text = typeof value === "string" ? value.trim() : "";
  if (!text) throw fieldError("jwks", "is required");
  const parsed = jsonField(text, "jwks");
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw fieldError("jwks", 'must be a JWK set: {"keys": [ … ]}');
  return "keys" in parsed ? parsed : { keys: [parsed] };
}

/** Adds a real directory: its SSA issuer, environment and keys (a JWKS URL, or inline). */
export async function createDirectoryAction(slug: string, _prev: ActionResult<CreatedDirectoryData>, form: FormData): Promise<ActionResult<CreatedDirectoryData>> {
  const result = await runAction<CreatedDirectoryData>(async (actor) => {
    const input: Record<string, unknown> = { kind: "external", name: "", issuer: "", ...formObject(form, ["name", "issuer", "environment"]) };
    let missing: FieldError | null = null;
    if (String(form.get("keySource") ?? "jwks_uri") === "jwks") {
      input.jwks = parseJwks(form.get("jwks"));
    } else {
      const jwksUri = String(form.get("jwksUri") ?? "").trim();
      if (jwksUri) input.jwksUri = jwksUri;
      else missing = { path: "jwksUri", message: "is required" };
    }
    const directory = await createDirectory(actor, slug, input).catch((error: unknown) => {
      // An empty URL fails the schema as a whole; name every field that needs attention at once.
      if (missing && isAppError(error) && error.code === "validation_failed") {
        throw new AppError("validation_failed", error.message, [...error.fieldErrors.filter((e) => e.path !== "jwksUri"), missing]);
      }
      throw error;
    });
    return { message: `Directory ${directory.name} added`, data: { id: directory.id } };
  });
  if (result.ok) refresh(slug);
  return result;
}

/** Creates the tenant's sandbox directory: Keyward generates and keeps its signing key. */
export async function createSandboxDirectoryAction(slug: string, _prev: ActionResult<CreatedDirectoryData>, _form: FormData): Promise<ActionResult<CreatedDirectoryData>> {
  const result = await runAction<CreatedDirectoryData>(async (actor) => {
    const directory = await createDirectory(actor, slug, { kind: "sandbox" });
    return { message: `Sandbox directory created`, data: { id: directory.id } };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function deleteDirectoryAction(slug: string, id: string, _prev: ActionResult, _form: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async (actor) => {
    await deleteDirectory(actor, slug, id);
    return { message: "Directory deleted" };
  });
  // Only the list: the deleted directory's page is left by the browser, not rendered again as a 404.
  if (result.ok) revalidatePath(directoriesPath(slug));
  return result;
}

/** Test: fetches the directory's keys now and shows them, or the upstream's fault. */
export async function testDirectoryKeysAction(slug: string, id: string, _prev: ActionResult<DirectoryKeysData>, _form: FormData): Promise<ActionResult<DirectoryKeysData>> {
  const result = await runAction<DirectoryKeysData>(async (actor) => {
    const found = await refreshDirectoryKeys(actor, slug, id);
    return { message: `${found.keys.length} ${found.keys.length === 1 ? "key" : "keys"} found`, data: found };
  });
  // The fetch health changed either way.
  refresh(slug);
  return result;
}

/** Issues a test software statement from the tenant's sandbox directory. */
export async function issueSsaAction(slug: string, id: string, _prev: ActionResult<IssuedSsaData>, form: FormData): Promise<ActionResult<IssuedSsaData>> {
  return runAction<IssuedSsaData>(async (actor) => {
    const redirectUris = String(form.get("redirectUris") ?? "")
      .split(/\r?\n/)
      .map((u) => u.trim())
      .filter((u) => u !== "");
    const input: Record<string, unknown> = {
      softwareId: "",
      softwareClientName: "",
      orgId: "",
      orgName: "",
      ...formObject(form, ["softwareId", "softwareClientName", "orgId", "orgName", "softwareJwksEndpoint"]),
      redirectUris,
      roles: form.getAll("roles").map(String),
    };
    if (!input.softwareJwksEndpoint) throw fieldError("softwareJwksEndpoint", "is required: where the TPP publishes its signing keys");
    const issued = await issueSandboxSsa(actor, slug, id, input);
    return { message: `Software statement issued for ${String(input.softwareId)}`, data: { softwareStatement: issued.softwareStatement, claims: issued.claims } };
  });
}
