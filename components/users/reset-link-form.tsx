"use client";

import { useEffect, useId, useRef } from "react";
import { resetLinkAction, type ResetLinkData } from "@/app/(console)/admin/users/actions";
import { Button } from "@/components/ui/button";
import { CopyBox } from "@/components/ui/copy-box";
import { FormAlert } from "@/components/ui/form-alert";
import { Time } from "@/components/ui/page";
import { useServerForm } from "@/components/ui/use-server-form";

/** Issues a one-time link to set a password and shows it once, in a dialog. */
export function ResetLinkForm({ userId, email }: { userId: string; email: string }) {
  const { state, formAction, onSubmit, pending, formRef } = useServerForm<ResetLinkData>(resetLinkAction);
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const link = state.ok ? state.data : undefined;

  useEffect(() => {
    if (link) dialog.current?.showModal();
  }, [link]);

  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="contents">
      <input type="hidden" name="id" value={userId} />
      <Button type="submit" variant="secondary" size="sm" disabled={pending}>
        {pending ? "Creating…" : "Reset link"}
        <span className="sr-only"> for {email}</span>
      </Button>
      <div className="basis-full whitespace-normal empty:hidden">
        <FormAlert state={state} />
      </div>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-lg rounded-lg border border-slate-200 bg-white p-6 text-left whitespace-normal text-slate-900 shadow-xl backdrop:bg-slate-900/40"
      >
        <h2 id={titleId} className="text-base font-semibold">
          Password link for {email}
        </h2>
        {link ? (
          <div className="mt-3 space-y-3 text-sm">
            <p className="text-slate-700">
              Send this link to the user. It works once, until <Time value={link.expiresAt} />; their current password keeps working until they use it.
            </p>
            <CopyBox id={`reset-link-${userId}`} label="Password link" value={link.inviteUrl} note="Shown once: copy it now. Closing this dialog hides it for good." />
          </div>
        ) : null}
        <div className="mt-6 flex justify-end">
          <Button variant="secondary" onClick={() => dialog.current?.close()}>
            Close
          </Button>
        </div>
      </dialog>
    </form>
  );
}
