"use client";

import type { ReactNode } from "react";
import type { ActionResult } from "@/lib/actions/action-state";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { useServerForm } from "@/components/ui/use-server-form";

/** What a fetch-keys action answers: the keys found, and what to look at about them. */
export interface FetchedKeys {
  keys: readonly unknown[];
  warnings?: readonly string[];
}

interface FetchKeysFormProps<D extends FetchedKeys> {
  /** Fetches the keys now (a server action bound to the object). */
  action: (prev: ActionResult<D>, form: FormData) => Promise<ActionResult<D>>;
  /** The form's accessible name. */
  label: string;
  /** The button, idle and while the fetch runs. */
  submitText: string;
  pendingText: string;
  /** The result's data-testid. */
  resultTestId: string;
  /** What follows "N keys" in the result's sentence: where and when they came from. */
  summary: (data: D) => ReactNode;
  /** The keys' table. */
  table: (data: D) => ReactNode;
}

/**
 * "Fetch the keys now": a button, the upstream's fault as an alert (the fetch
 * health), or the keys found in the object's own table with any warnings.
 */
export function FetchKeysForm<D extends FetchedKeys>({ action, label, submitText, pendingText, resultTestId, summary, table }: FetchKeysFormProps<D>) {
  const { state, formAction, onSubmit, pending, formRef } = useServerForm<D>(action);
  const warnings = state.ok ? (state.data?.warnings ?? []) : [];
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-3" aria-label={label}>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? pendingText : submitText}
      </Button>
      <FormAlert state={state} />
      {state.ok && state.data ? (
        <div className="space-y-2" data-testid={resultTestId}>
          <p className="text-sm text-slate-700">
            {state.data.keys.length} {state.data.keys.length === 1 ? "key" : "keys"} {summary(state.data)}.
          </p>
          {table(state.data)}
          {warnings.length > 0 ? (
            <ul className="list-disc pl-5 text-xs text-amber-900">
              {warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
