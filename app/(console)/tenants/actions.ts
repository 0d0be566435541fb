"use server";

import { revalidatePath } from "next/cache";
import { formObject, runAction, type ActionResult } from "@/lib/actions/action-result";
import { createTenant } from "@/lib/tenants/tenants";

export async function createTenantAction(_prev: ActionResult<{ slug: string }>, form: FormData): Promise<ActionResult<{ slug: string }>> {
  const result = await runAction(async (actor) => {
    const tenant = await createTenant(actor, formObject(form, ["slug", "name", "profile"]));
    return { message: `Tenant ${tenant.slug} created`, data: { slug: tenant.slug } };
  });
  // The layout's tenant switcher lists tenants too, so refresh every page under it.
  if (result.ok) revalidatePath("/", "layout");
  return result;
}
