"use client";

import { startTransition, useEffect, useRef, useState, type FormEvent } from "react";
import { applyConfigAction, reviewConfigAction, type ConfigImportData } from "@/app/(console)/tenants/[tenant]/config/actions";
import { IDLE, type ActionResult } from "@/lib/actions/action-state";
import type { ConfigChange } from "@/lib/tenants/config-schema";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { useServerForm } from "@/components/ui/use-server-form";
import { PemField } from "@/components/keys/pem-field";
import { ConfigChanges } from "@/components/config/config-changes";
import { ConfigProblems } from "@/components/config/config-problems";
import { describeSyntaxError, parseJsonDocument } from "@/components/config/json-syntax";

type Intent = "review" | "apply";

const FIELD_ID = "config-import";

function changesLabel(n: number): string {
  return `${n} change${n === 1 ? "" : "s"}`;
}

/**
 * The import of a configuration: the admin edits the export in place (or drops
 * a .json file), reviews what would change (a dry run of the same service),
 * then applies exactly the reviewed text. The text may hold private JWKs: it is
 * sent to the server and shown in the textarea, never anywhere else on the page.
 */
export function ConfigImportForm({ slug, initialText }: { slug: string; initialText: string }) {
  const [text, setText] = useState(initialText);
  const [syntax, setSyntax] = useState<{ message: string; line: number; column: number } | null>(null);
  const [review, setReview] = useState<{ text: string; changes: ConfigChange[] } | null>(null);
  const [intent, setIntent] = useState<Intent>("review");
  // A syntax error found in the browser replaces the answer of the last submit.
  const [showAnswer, setShowAnswer] = useState(true);
  const sent = useRef("");

  const { state, formAction, pending, formRef } = useServerForm<ConfigImportData>(
    // Each intent runs its own action; neither needs the previous state.
    (_prev: ActionResult<ConfigImportData>, form: FormData) =>
      form.get("intent") === "apply" ? applyConfigAction(slug, IDLE, form) : reviewConfigAction(slug, IDLE, form),
    {
      onSuccess: (data) => {
        // An applied import refreshes the page, which starts this form again from the new export.
        if (data && !data.applied) setReview({ text: sent.current, changes: data.changes });
      },
    },
  );

  const reviewHeadingId = "config-review-heading";
  useEffect(() => {
    // Move to the review so keyboard and screen reader users land on what came back.
    if (review) document.getElementById(reviewHeadingId)?.focus();
  }, [review]);

  function submit(next: Intent) {
    const body = next === "apply" && review ? review.text : text;
    const parsed = parseJsonDocument(body);
    if (!parsed.ok) {
      setSyntax(parsed);
      setReview(null);
      setShowAnswer(false);
      const area = document.getElementById(FIELD_ID) as HTMLTextAreaElement | null;
      area?.focus();
      area?.setSelectionRange(parsed.position, Math.min(parsed.position + 1, body.length));
      return;
    }
    setSyntax(null);
    setShowAnswer(true);
    setIntent(next);
    if (next === "review") setReview(null);
    sent.current = body;
    const form = new FormData();
    form.set("intent", next);
    form.set("config", body);
    startTransition(() => formAction(form));
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    submit("review");
  }

  // A review stands for the text it was made of; after an edit it must be made again.
  const reviewed = review !== null && review.text === text ? review : null;
  const refused = showAnswer && !state.ok && state.message !== "";
  const alertId = `${FIELD_ID}-problems`;

  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-4" aria-label="Import a configuration" noValidate>
      <PemField
        id={FIELD_ID}
        name="config"
        label="Configuration to import (JSON)"
        value={text}
        onChange={setText}
        rows={24}
        accept=".json,application/json"
        hint="Edit the export in place, paste a configuration, or drop a .json file on the box."
        error={syntax ? `Not valid JSON at line ${syntax.line}, column ${syntax.column}.` : undefined}
      />
      {syntax ? (
        <p id={alertId} role="alert" data-testid="config-syntax-error" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {describeSyntaxError(syntax)} Nothing was sent.
        </p>
      ) : refused ? (
        <ConfigProblems id={alertId} message={state.message} problems={state.ok ? {} : state.fieldErrors} />
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" name="intent" value="review" variant={reviewed ? "secondary" : "primary"} disabled={pending}>
          {pending && intent === "review" ? "Reviewing…" : "Review changes"}
        </Button>
        {reviewed && reviewed.changes.length > 0 && !refused ? (
          <ConfirmButton
            title={`Apply ${changesLabel(reviewed.changes.length)} to ${slug}?`}
            description={
              <p>
                The changes are applied together, in one transaction, and audited. The published keys and discovery of {slug} change at once.
              </p>
            }
            confirmLabel={`Apply ${changesLabel(reviewed.changes.length)}`}
            variant="primary"
            confirmVariant="primary"
            size="md"
            disabled={pending}
            onConfirm={() => submit("apply")}
          >
            {pending && intent === "apply" ? "Applying…" : "Apply"}
          </ConfirmButton>
        ) : null}
      </div>
      {review && !reviewed ? (
        <p data-testid="config-review-stale" className="text-sm text-amber-900">
          The text changed after the review: review the changes again before applying them.
        </p>
      ) : null}
      {reviewed && !refused ? (
        <section aria-labelledby={reviewHeadingId} data-testid="config-review" className="space-y-2">
          <h3 id={reviewHeadingId} tabIndex={-1} className="text-base font-semibold focus:outline-none">
            {reviewed.changes.length === 0 ? "No changes" : `Changes to apply (${reviewed.changes.length})`}
          </h3>
          {reviewed.changes.length === 0 ? (
            <p className="text-sm text-slate-600">The import matches the current configuration: there is nothing to apply.</p>
          ) : (
            <>
              <p className="text-sm text-slate-600">Nothing is applied until you choose Apply.</p>
              <ConfigChanges changes={reviewed.changes} />
            </>
          )}
        </section>
      ) : null}
    </form>
  );
}
