"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { AppError } from "@/lib/errors";
import { importTenantConfig } from "@/lib/tenants/config-import";
import type { ConfigChange } from "@/lib/tenants/config-schema";
import { describeSyntaxError, parseJsonDocument } from "@/components/config/json-syntax";

export type ConfigImportData = { applied: boolean; changes: ConfigChange[] };

/**
 * The document of the import form. The form checks the syntax before sending;
 * this checks again for callers that skip it, with a message that quotes
 * nothing of the text (it may hold private JWKs).
 */
function documentOf(form: FormData): unknown {
  const text = String(form.get("config") ?? "");
  if (!text.trim()) throw new AppError("validation_failed", "config: is required", [{ path: "config", message: "is required" }]);
  const parsed = parseJsonDocument(text);
  if (!parsed.ok) {
    const message = describeSyntaxError(parsed);
    throw new AppError("validation_failed", message, [{ path: "config", message }]);
  }
  return parsed.value;
}

function count(n: number): string {
  return `${n} change${n === 1 ? "" : "s"}`;
}

/** What importing the document would change; nothing is applied. */
export async function reviewConfigAction(slug: string, _prev: ActionResult<ConfigImportData>, form: FormData): Promise<ActionResult<ConfigImportData>> {
  return runAction(async (actor) => {
    const result = await importTenantConfig(actor, slug, documentOf(form), { dryRun: true });
    return {
      message: result.changes.length === 0 ? "No changes: the import matches the current configuration" : `${count(result.changes.length)} to review; nothing is applied yet`,
      data: result,
    };
  });
}

/** Imports the document: every change, in one transaction, or none. */
export async function applyConfigAction(slug: string, _prev: ActionResult<ConfigImportData>, form: FormData): Promise<ActionResult<ConfigImportData>> {
  const result = await runAction(async (actor) => {
    const imported = await importTenantConfig(actor, slug, documentOf(form));
    return {
      message: imported.applied ? `Applied ${count(imported.changes.length)} to ${slug}` : `Nothing to apply: the import matches the current configuration of ${slug}`,
      data: imported,
    };
  });
  // Keys, the tenant's name in the switcher and its pages all may change.
  if (result.ok && result.data?.applied) revalidatePath("/", "layout");
  return result;
}
