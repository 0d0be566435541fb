"use server";

import { revalidatePath } from "next/cache";
import { formObject, runAction, type ActionResult } from "@/lib/actions/action-result";
import { updateTenant } from "@/lib/tenants/tenants";
import { formVersion } from "@/lib/concurrency/versions";

export async function updateTenantAction(slug: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const result = await runAction<undefined>(async (actor) => {
    // An emptied name must fail as "required", not be left out as "unchanged".
    const tenant = await updateTenant(actor, slug, { name: "", ...formObject(form, ["name", "profile"]) }, { expectedVersion: formVersion(form.get("version")) });
    return { message: `Tenant ${tenant.slug} saved` };
  });
  // The name also shows in the layout's tenant switcher and on the dashboard.
  if (result.ok) revalidatePath("/", "layout");
  return result;
}
