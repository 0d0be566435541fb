"use server";

import { runAction, type ActionResult } from "@/lib/actions/action-result";
import { testRegistrationRequest, type DcrTestResult } from "@/lib/dcr/tester";

export type DcrTestData = DcrTestResult;

/** Checks a registration request against every DCR rule of the tenant; registers nothing, records no jti. */
export async function testRegistrationAction(slug: string, _prev: ActionResult<DcrTestData>, form: FormData): Promise<ActionResult<DcrTestData>> {
  return runAction<DcrTestData>(async (actor) => {
    const result = await testRegistrationRequest(actor, slug, { requestJwt: String(form.get("requestJwt") ?? "") });
    const failed = result.checks.filter((c) => !c.ok).length;
    return {
      message: result.wouldRegister
        ? "The registration endpoint would register this client"
        : `The registration endpoint would refuse this request: ${failed} ${failed === 1 ? "rule fails" : "rules fail"}`,
      data: result,
    };
  });
}
