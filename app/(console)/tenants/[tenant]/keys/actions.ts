"use server";

import { jsonField } from "@/lib/strict-json";
import { revalidatePath } from "next/cache";
import { formObject, runAction, type ActionResult } from "@/lib/actions/action-result";
import { AppError } from "@/lib/errors";
import { activateSigningKey } from "@/lib/keys/activate-key";
import { addSigningKey, previewSigningKey } from "@/lib/keys/add-key";
import { attachSigningKeyCertificate } from "@/lib/keys/attach-certificate";
import { createSigningKeyCsr } from "@/lib/keys/csr";
import { removeSigningKey } from "@/lib/keys/remove-key";
import { retireSigningKey } from "@/lib/keys/retire-key";
import { revokeSigningKey } from "@/lib/keys/revoke-key";
import type { KeyPreview } from "@/lib/keys/schemas";
import { rotateNow } from "@/lib/rotation/rotate";

export type PreviewData = { preview: KeyPreview };
export type SavedKeyData = { kid: string };
export type CsrData = { csrPem: string };
export type RotationData = { kid: string };

function keysPath(slug: string): string {
  return `/tenants/${encodeURIComponent(slug)}/keys`;
}

function refresh(slug: string): void {
  // The list, the detail pages and the new-key page all live under this path.
  revalidatePath(keysPath(slug), "layout");
}

function kidOf(form: FormData): string {
  return String(form.get("kid") ?? "");
}

/**
 * The add-key input of one of the three forms, as the schema expects it. Key
 * material goes to the service and nowhere else: it is never logged and never
 * part of an answer.
 */
function keyInput(form: FormData): Record<string, unknown> {
  const source = String(form.get("source") ?? "");
  const common = formObject(form, ["alg", "kid", "appId"]);
  if (source === "pem") {
    return { source, ...formObject(form, ["certificatePem", "privateKeyPem", "passphrase", "kidStrategy"]), ...common };
  }
  if (source === "jwk") {
    return { source, jwk: parseJwk(form.get("jwk")), ...formObject(form, ["certificatePem", "kidStrategy"]), ...common };
  }
  return { source, ...common };
}

function parseJwk(value: FormDataEntryValue | null): unknown {
  const text = typeof value === "string" ? value.trim() : "";
  if (!text) throw new AppError("validation_failed", "jwk: is required", [{ path: "jwk", message: "is required" }]);
  const parsed = jsonField(text, "jwk");
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AppError("validation_failed", "jwk: must be a JSON object", [
      { path: "jwk", message: "must be one JSON object (a private JWK), not a JWK set or another value" },
    ]);
  }
  return parsed;
}

/** What adding the key would store; nothing is stored. */
export async function previewKeyAction(slug: string, _prev: ActionResult<PreviewData>, form: FormData): Promise<ActionResult<PreviewData>> {
  return runAction(async (actor) => {
    const preview = await previewSigningKey(actor, slug, keyInput(form));
    return { message: `Preview of ${preview.kid} ready; nothing is stored until you save`, data: { preview } };
  });
}

export async function addKeyAction(slug: string, _prev: ActionResult<SavedKeyData>, form: FormData): Promise<ActionResult<SavedKeyData>> {
  const result = await runAction(async (actor) => {
    const key = await addSigningKey(actor, slug, keyInput(form));
    return { message: `Key ${key.kid} added; it is staged: published, not signing`, data: { kid: key.kid } };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function activateKeyAction(slug: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async (actor) => {
    // Forcing sends the reason as typed, even empty, so the schema can ask for it.
    const force = form.get("force") === "true";
    const key = await activateSigningKey(actor, slug, kidOf(form), force ? { force, reason: String(form.get("reason") ?? "") } : {});
    return { message: key.forcedReason ? `Key ${key.kid} is now the signing key (forced before its propagation time)` : `Key ${key.kid} is now the signing key` };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function retireKeyAction(slug: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async (actor) => {
    const key = await retireSigningKey(actor, slug, kidOf(form));
    return { message: `Key ${key.kid} retired; it stays published` };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function removeKeyAction(slug: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async (actor) => {
    const key = await removeSigningKey(actor, slug, kidOf(form));
    return { message: `Key ${key.kid} removed from the JWKS` };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function revokeKeyAction(slug: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async (actor) => {
    // An empty reason goes in so the schema answers "say why the key is revoked".
    const replacement = String(form.get("replacement") ?? "");
    const key = await revokeSigningKey(actor, slug, kidOf(form), {
      reason: String(form.get("reason") ?? ""),
      ...(replacement === "generate" ? { generateReplacement: true } : replacement ? { replacementKid: replacement } : {}),
    });
    return { message: key.replacedBy ? `Key ${key.kid} revoked; ${key.replacedBy} signs from now on` : `Key ${key.kid} revoked` };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function createCsrAction(slug: string, _prev: ActionResult<CsrData>, form: FormData): Promise<ActionResult<CsrData>> {
  const result = await runAction(async (actor) => {
    const sans = String(form.get("sans") ?? "")
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter(Boolean);
    const { csrPem } = await createSigningKeyCsr(actor, slug, kidOf(form), {
      subject: String(form.get("subject") ?? ""),
      ...(sans.length > 0 ? { sans } : {}),
    });
    return { message: "Certificate signing request created", data: { csrPem } };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function attachCertificateAction(slug: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async (actor) => {
    const key = await attachSigningKeyCertificate(actor, slug, kidOf(form), { certificatePem: String(form.get("certificatePem") ?? "") });
    return { message: `Certificate attached to ${key.kid}` };
  });
  if (result.ok) refresh(slug);
  return result;
}

/**
 * Rotate now: a generated key (of the chosen algorithm) or a staged key is
 * published at once and signs after the propagation time.
 */
export async function rotateNowAction(slug: string, _prev: ActionResult<RotationData>, form: FormData): Promise<ActionResult<RotationData>> {
  const result = await runAction(async (actor) => {
    const next = String(form.get("next") ?? "generate");
    const input = next === "staged" ? { kid: String(form.get("kid") ?? "") } : formObject(form, ["alg"]);
    const rotation = await rotateNow(actor, slug, input);
    const message = rotation.activated
      ? `Key ${rotation.kid} published; it signs now`
      : `Key ${rotation.kid} published; it signs from ${rotation.activatesAt.slice(0, 19).replace("T", " ")} UTC`;
    return { message, data: { kid: rotation.kid } };
  });
  if (result.ok) refresh(slug);
  return result;
}
