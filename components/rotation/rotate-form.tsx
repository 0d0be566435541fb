"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { rotateNowAction, type RotationData } from "@/app/(console)/tenants/[tenant]/keys/actions";
import type { ActionResult } from "@/lib/actions/action-state";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { SelectField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { fieldMessage } from "@/components/keys/field-message";
import { formatDuration, formatUtc } from "@/components/rotation/durations";

export interface RotationPlanView {
  now: string;
  publishedAt: string;
  activatesAt: string;
  retiringKid: string | null;
  removesRetiringAt: string | null;
}

export interface StagedCandidate {
  kid: string;
  alg: string;
  createdAt: string;
  activatesAt: string;
}

/** The plan in one sentence: when the next key is published and signs, and what happens to the current one. */
export function planSentence(
  plan: { publishedAt: string; activatesAt: string; retiringKid: string | null; removesRetiringAt: string | null },
  opts: { now: string; alreadyPublished: boolean; autoActivate: boolean },
): string {
  const published = opts.alreadyPublished ? `Already published (since ${formatUtc(plan.publishedAt)})` : "Published now";
  if (!plan.retiringKid) return `${published}; signs at once: no key signs for this tenant yet.`;
  const signs =
    Date.parse(plan.activatesAt) <= Date.parse(opts.now)
      ? "signs at once: relying parties have had it long enough"
      : opts.autoActivate
        ? `signs from ${formatUtc(plan.activatesAt, { seconds: true })}`
        : `may be activated from ${formatUtc(plan.activatesAt, { seconds: true })} (automatic activation is off: activate it then)`;
  const removal = plan.removesRetiringAt ? ` and is removed at ${formatUtc(plan.removesRetiringAt, { seconds: true })}` : "";
  return `${published}; ${signs}; the current key ${plan.retiringKid} retires then${removal}.`;
}

/**
 * Rotate now: choose the next key (generated, or a staged key such as one
 * with the directory's certificate), read the plan, confirm.
 */
export function RotateForm({
  slug,
  algs,
  defaultAlg,
  plan,
  candidates,
  retentionSeconds,
  propagationSeconds,
  autoActivate,
}: {
  slug: string;
  algs: string[];
  defaultAlg: string;
  plan: RotationPlanView;
  candidates: StagedCandidate[];
  retentionSeconds: number;
  propagationSeconds: number;
  autoActivate: boolean;
}) {
  const router = useRouter();
  const [next, setNext] = useState<"generate" | "staged">("generate");
  const [kid, setKid] = useState(candidates[0]?.kid ?? "");
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm<RotationData>(
    (prev: ActionResult<RotationData>, form: FormData) => rotateNowAction(slug, prev, form),
    {
      onSuccess: (data) => {
        if (data) router.push(`/tenants/${encodeURIComponent(slug)}/keys?rotated=${encodeURIComponent(data.kid)}`);
      },
    },
  );

  const candidate = candidates.find((c) => c.kid === kid) ?? null;
  const chosen =
    next === "staged" && candidate
      ? {
          publishedAt: candidate.createdAt,
          activatesAt: candidate.activatesAt,
          retiringKid: plan.retiringKid,
          removesRetiringAt: plan.retiringKid ? new Date(Date.parse(candidate.activatesAt) + retentionSeconds * 1000).toISOString() : null,
        }
      : plan;
  const sentence = planSentence(chosen, { now: plan.now, alreadyPublished: next === "staged" && candidate !== null, autoActivate });

  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-6" aria-label="Rotate now" noValidate>
      {candidates.length > 0 ? (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">Next key</legend>
          <div className="flex items-start gap-2">
            <input id="next-generate" type="radio" name="next" value="generate" checked={next === "generate"} onChange={() => setNext("generate")} className="mt-0.5 h-4 w-4" />
            <label htmlFor="next-generate" className="text-sm text-slate-800">
              Generate a new key
            </label>
          </div>
          <div className="flex items-start gap-2">
            <input id="next-staged" type="radio" name="next" value="staged" checked={next === "staged"} onChange={() => setNext("staged")} className="mt-0.5 h-4 w-4" />
            <label htmlFor="next-staged" className="text-sm text-slate-800">
              Rotate to a staged key
              <span className="block text-xs text-slate-600">For example one you added with the certificate the directory issued.</span>
            </label>
          </div>
        </fieldset>
      ) : (
        <input type="hidden" name="next" value="generate" />
      )}

      {next === "generate" ? (
        <SelectField
          id="alg"
          label="Algorithm"
          options={algs.map((a) => ({ value: a, label: a === defaultAlg ? `${a} (rotation policy)` : a }))}
          defaultValue={defaultAlg}
          error={fieldMessage(fieldErrors, "alg")}
          hint="The algorithms the tenant's profile allows."
        />
      ) : (
        <SelectField
          id="kid"
          label="Staged key"
          options={candidates.map((c) => ({ value: c.kid, label: `${c.kid} (${c.alg}, published ${formatUtc(c.createdAt)})` }))}
          value={kid}
          onChange={(e) => setKid(e.target.value)}
          error={fieldMessage(fieldErrors, "kid")}
          hint="Only staged keys that are not already planned and whose certificate is valid."
        />
      )}

      <section aria-labelledby="plan-heading" className="rounded-lg border border-brand-100 bg-brand-50 px-4 py-3">
        <h2 id="plan-heading" className="text-sm font-semibold text-brand-900">
          The plan
        </h2>
        <p className="mt-1 text-sm text-slate-900" data-testid="rotation-plan">
          {sentence}
        </p>
        <p className="mt-2 text-xs text-slate-700">
          The wait is the propagation time ({formatDuration(propagationSeconds)}): relying parties must have fetched the new key before it signs. The retiring key
          stays published for the retention time ({formatDuration(retentionSeconds)}), so the tokens it signed still verify. Times as of{" "}
          {formatUtc(plan.now, { seconds: true })}; they move with the moment you confirm.
        </p>
      </section>

      <FormAlert state={state} fields={["alg", "kid"]} />
      <ConfirmButton
        title={`Rotate the signing key of ${slug} now?`}
        description={<p data-testid="rotation-plan-confirm">{sentence}</p>}
        confirmLabel="Confirm rotation"
        variant="primary"
        confirmVariant="primary"
        size="md"
        disabled={pending}
        onConfirm={() => formRef.current?.requestSubmit()}
      >
        {pending ? "Rotating…" : "Rotate now"}
      </ConfirmButton>
    </form>
  );
}
