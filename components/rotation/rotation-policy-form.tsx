"use client";

import { useState } from "react";
import { updateRotationPolicyAction } from "@/app/(console)/tenants/[tenant]/rotation-policy/actions";
import type { ActionResult } from "@/lib/actions/action-state";
import type { RotationPolicyView } from "@/lib/rotation/policy";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";
import { fieldMessage } from "@/components/keys/field-message";
import { DurationField } from "@/components/rotation/duration-field";
import { formatDuration } from "@/components/rotation/durations";

const FIELDS = [
  "propagationSeconds",
  "retentionSeconds",
  "rotationIntervalSeconds",
  "rotationIntervalDays",
  "algorithm",
  "autoActivate",
  "jwksMaxAgeSeconds",
  "accessTokenTtlSeconds",
  "expiryWarningDays",
];

const NINETY_DAYS = 90 * 86_400;

/** The rotation policy of a tenant, for an admin to change. Field errors come from the service, beside their fields. */
export function RotationPolicyForm({
  slug,
  policy,
  algs,
  profileAlg,
  clockSkewSeconds,
}: {
  slug: string;
  policy: RotationPolicyView;
  algs: readonly string[];
  /** What generated keys use when the policy names no algorithm. */
  profileAlg: string;
  clockSkewSeconds: number;
}) {
  const { state, formAction, onSubmit, pending, formRef, fieldErrors } = useServerForm((prev: ActionResult, form: FormData) => updateRotationPolicyAction(slug, prev, form));
  const [autoRotate, setAutoRotate] = useState(policy.rotationIntervalSeconds !== null);
  const errorFor = (field: string) => fieldMessage(fieldErrors, field);
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-6" aria-label="Rotation policy" noValidate>
      <input type="hidden" name="version" value={policy.version} />
      <div className="grid gap-4 md:grid-cols-2">
        <DurationField
          id="propagationSeconds"
          label="Propagation time"
          seconds={policy.propagationSeconds}
          hint={`How long a new key is published before it may sign. At least the JWKS max-age; activation waits ${formatDuration(policy.effectivePropagationSeconds)} now, with the time other instances take to see a change.`}
          error={errorFor("propagationSeconds")}
        />
        <DurationField
          id="jwksMaxAgeSeconds"
          label="JWKS max-age"
          seconds={policy.jwksMaxAgeSeconds}
          units={["h", "min", "s"]}
          hint="How long relying parties may cache the JWKS (Cache-Control max-age); at most one day."
          error={errorFor("jwksMaxAgeSeconds")}
        />
        <DurationField
          id="retentionSeconds"
          label="Retention time"
          seconds={policy.retentionSeconds}
          hint={`How long a retired key stays published. Cover the access-token lifetime plus ${clockSkewSeconds} s of clock skew, so the tokens it signed still verify.`}
          error={errorFor("retentionSeconds")}
        />
        <DurationField
          id="accessTokenTtlSeconds"
          label="Access-token lifetime"
          seconds={policy.accessTokenTtlSeconds}
          units={["h", "min", "s"]}
          hint="Lifetime of the access tokens the token endpoint issues; at most one day."
          error={errorFor("accessTokenTtlSeconds")}
        />
      </div>

      <fieldset className="space-y-3 rounded-lg border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold text-slate-900">Automatic rotation</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="autoRotate" value="true" checked={autoRotate} onChange={(e) => setAutoRotate(e.target.checked)} />
          Stage a new key by itself at a fixed interval
        </label>
        <DurationField
          id="rotationIntervalSeconds"
          label="Rotation interval"
          seconds={policy.rotationIntervalSeconds ?? NINETY_DAYS}
          disabled={!autoRotate}
          hint="Counted from the activation of the key that signs; keep it longer than propagation plus retention."
          error={errorFor("rotationIntervalSeconds") ?? errorFor("rotationIntervalDays")}
        />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="autoActivate" value="true" defaultChecked={policy.autoActivate} />
          Activate a planned key by itself once its propagation time has passed
        </label>
        {errorFor("autoActivate") ? <p className="text-xs font-medium text-red-700">{errorFor("autoActivate")}</p> : null}
      </fieldset>

      <div className="grid gap-4 md:grid-cols-2">
        <SelectField
          id="algorithm"
          label="Algorithm of generated keys"
          options={[{ value: "", label: `The profile's default (${profileAlg})` }, ...algs.map((a) => ({ value: a, label: a }))]}
          defaultValue={policy.algorithmIsDefault ? "" : policy.algorithm}
          hint="Used by Rotate now, automatic rotation and emergency replacements."
          error={errorFor("algorithm")}
        />
        <TextField
          id="expiryWarningDays"
          label="Certificate expiry warning (days)"
          type="number"
          inputMode="numeric"
          min={1}
          max={365}
          defaultValue={policy.expiryWarningDays}
          hint="How early the dashboard flags a certificate that expires."
          error={errorFor("expiryWarningDays")}
        />
      </div>

      <FormAlert state={state} fields={FIELDS} />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save policy"}
      </Button>
    </form>
  );
}
