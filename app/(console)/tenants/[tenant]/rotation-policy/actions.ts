"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { AppError, type FieldError } from "@/lib/errors";
import { updateRotationPolicy } from "@/lib/rotation/policy";
import { formVersion } from "@/lib/concurrency/versions";
import { unitSeconds } from "@/components/rotation/durations";

/**
 * The form's value-and-unit pairs as the seconds the policy speaks. What is
 * not a number is refused here, beside its field, before the service sees it.
 */
function readForm(form: FormData) {
  const problems: FieldError[] = [];
  const number = (field: string): number | undefined => {
    const raw = String(form.get(field) ?? "").trim();
    const value = Number(raw);
    if (raw === "" || !Number.isFinite(value)) {
      problems.push({ path: field, message: raw === "" ? "is required" : "must be a number" });
      return undefined;
    }
    return value;
  };
  const duration = (field: string): number | undefined => {
    const value = number(field);
    const unit = unitSeconds(String(form.get(`${field}Unit`) ?? "s"));
    if (value === undefined) return undefined;
    if (unit === undefined) {
      problems.push({ path: field, message: "has an unknown unit" });
      return undefined;
    }
    return Math.round(value * unit);
  };
  const autoRotate = form.get("autoRotate") === "true";
  const algorithm = String(form.get("algorithm") ?? "");
  const input = {
    propagationSeconds: duration("propagationSeconds"),
    retentionSeconds: duration("retentionSeconds"),
    rotationIntervalSeconds: autoRotate ? duration("rotationIntervalSeconds") : null,
    algorithm: algorithm === "" ? null : algorithm,
    autoActivate: form.get("autoActivate") === "true",
    jwksMaxAgeSeconds: duration("jwksMaxAgeSeconds"),
    accessTokenTtlSeconds: duration("accessTokenTtlSeconds"),
    expiryWarningDays: number("expiryWarningDays"),
  };
  if (problems.length > 0) {
    throw new AppError("validation_failed", problems.map((p) => `${p.path}: ${p.message}`).join("; "), problems);
  }
  return input;
}

export async function updateRotationPolicyAction(slug: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async (actor) => {
    // The version the form was opened with: a change saved meanwhile is not overwritten.
    const policy = await updateRotationPolicy(actor, slug, readForm(form), { expectedVersion: formVersion(form.get("version")) });
    const n = policy.warnings.length;
    return { message: n === 0 ? `Rotation policy of ${slug} saved` : `Rotation policy of ${slug} saved, with ${n} ${n === 1 ? "warning" : "warnings"}` };
  });
  // The keys page, the tenant page and the dashboard all show the policy.
  if (result.ok) revalidatePath("/", "layout");
  return result;
}
