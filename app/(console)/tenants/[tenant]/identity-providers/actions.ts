"use server";

import { jsonField } from "@/lib/strict-json";
import { revalidatePath } from "next/cache";
import { formObject, runAction, type ActionResult } from "@/lib/actions/action-result";
import { AppError } from "@/lib/errors";
import { createIdentityProvider, deleteIdentityProvider, updateIdentityProvider } from "@/lib/idps/identity-providers";
import { refreshIdentityProviderKeys, testJwksUri, verifyJwtWithIdentityProvider, type IdpHealthView, type IdpKeySummary } from "@/lib/idps/idp-keys";
import type { Check } from "@/lib/idps/verify-assertion";

export type SavedIdpData = { id: string };
export type KeysFoundData = { keys: IdpKeySummary[]; fetchedAt: string | null; warnings: string[]; health: IdpHealthView | null };
export type JwtTestData = {
  valid: boolean;
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
  checks: Check[];
};

function idpsPath(slug: string): string {
  return `/tenants/${encodeURIComponent(slug)}/identity-providers`;
}

function refresh(slug: string): void {
  // The list, the detail pages and the form all live under this path.
  revalidatePath(idpsPath(slug), "layout");
}

/** A number field as typed: empty is left out, a non-number goes in as text so the schema names the field. */
function numberField(form: FormData, name: string): number | string | undefined {
  const raw = form.get(name);
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  const n = Number(raw.trim());
  return Number.isFinite(n) ? n : raw;
}

function fetchLimits(form: FormData): Record<string, number | string> | undefined {
  const out: Record<string, number | string> = {};
  for (const f of ["connectTimeoutMs", "readTimeoutMs", "sizeLimitBytes"]) {
    const v = numberField(form, `fetch.${f}`);
    if (v !== undefined) out[f] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function parseJwks(value: FormDataEntryValue | null): unknown {
  const text = typeof value === "string" ? value.trim() : "";
  if (!text) throw new AppError("validation_failed", "jwks: is required", [{ path: "jwks", message: "is required" }]);
  const parsed = jsonField(text, "jwks");
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AppError("validation_failed", "jwks: must be a JSON object", [{ path: "jwks", message: 'must be a JWK set: {"keys": [ … ]}' }]);
  }
  // A single JWK pasted on its own is taken as a set of one.
  return "keys" in parsed ? parsed : { keys: [parsed] };
}

/** The create input of the form, as the schema expects it (only the chosen key source goes in). */
function idpInput(form: FormData): Record<string, unknown> {
  const source = String(form.get("keySource") ?? "jwks_uri");
  const input: Record<string, unknown> = { name: "", ...formObject(form, ["name", "audience"]) };
  if (source === "jwks") input.jwks = parseJwks(form.get("jwks"));
  else if (source === "certificates") input.certificatePem = String(form.get("certificatePem") ?? "");
  else input.jwksUri = String(form.get("jwksUri") ?? "").trim() || undefined;
  if (source === "jwks_uri" && input.jwksUri === undefined) {
    throw new AppError("validation_failed", "jwksUri: is required", [{ path: "jwksUri", message: "is required" }]);
  }
  input.allowedAlgs = form.getAll("allowedAlgs").map(String);
  input.enabled = form.get("enabled") === "on";
  input.refuseJtiReuse = form.get("refuseJtiReuse") === "on";
  const lifetime = numberField(form, "maxAssertionLifetimeSeconds");
  if (lifetime !== undefined) input.maxAssertionLifetimeSeconds = lifetime;
  const skew = numberField(form, "clockSkewSeconds");
  if (skew !== undefined) input.clockSkewSeconds = skew;
  if (source === "jwks_uri") {
    const limits = fetchLimits(form);
    if (limits) input.fetch = limits;
  }
  return input;
}

export async function createIdpAction(slug: string, _prev: ActionResult<SavedIdpData>, form: FormData): Promise<ActionResult<SavedIdpData>> {
  const result = await runAction(async (actor) => {
    const idp = await createIdentityProvider(actor, slug, idpInput(form));
    return { message: `Identity provider ${idp.name} registered`, data: { id: idp.id } };
  });
  if (result.ok) refresh(slug);
  return result;
}

/** The form's Test button: fetches the jwks_uri now; nothing is stored. */
export async function testJwksUriAction(_prev: ActionResult<KeysFoundData>, form: FormData): Promise<ActionResult<KeysFoundData>> {
  return runAction(async (actor) => {
    const jwksUri = String(form.get("jwksUri") ?? "").trim();
    const found = await testJwksUri(actor, { jwksUri, ...(fetchLimits(form) ? { fetch: fetchLimits(form) } : {}) });
    return { message: `${found.keys.length} ${found.keys.length === 1 ? "key" : "keys"} found at the jwks_uri`, data: found };
  });
}

export async function refreshIdpKeysAction(slug: string, id: string, _prev: ActionResult<KeysFoundData>, _form: FormData): Promise<ActionResult<KeysFoundData>> {
  const result = await runAction(async (actor) => {
    const found = await refreshIdentityProviderKeys(actor, slug, id);
    return { message: `Keys refreshed: ${found.keys.length} ${found.keys.length === 1 ? "key" : "keys"}`, data: found };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function setIdpEnabledAction(slug: string, id: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async (actor) => {
    const enabled = form.get("enabled") === "true";
    const idp = await updateIdentityProvider(actor, slug, id, { enabled });
    return { message: `Identity provider ${idp.name} ${idp.enabled ? "enabled" : "disabled"}` };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function deleteIdpAction(slug: string, id: string, _prev: ActionResult, _form: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async (actor) => {
    await deleteIdentityProvider(actor, slug, id);
    return { message: "Identity provider deleted" };
  });
  // Only the list: the deleted IdP's page is left by the client, not rendered again as a 404.
  if (result.ok) revalidatePath(idpsPath(slug));
  return result;
}

/** The JWT tester: every check of the JWT against this IdP; the jti is not consumed. */
export async function verifyJwtAction(slug: string, id: string, _prev: ActionResult<JwtTestData>, form: FormData): Promise<ActionResult<JwtTestData>> {
  return runAction(async (actor) => {
    const result = await verifyJwtWithIdentityProvider(actor, slug, id, { jwt: String(form.get("jwt") ?? "") });
    const failed = result.checks.filter((c) => !c.ok).length;
    return {
      message: result.valid ? "The JWT passes every check" : `The JWT fails ${failed} ${failed === 1 ? "check" : "checks"}`,
      data: { valid: result.valid, header: result.header, claims: result.claims as Record<string, unknown> | null, checks: result.checks },
    };
  });
}
