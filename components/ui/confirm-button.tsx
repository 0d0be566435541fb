"use client";

import { useId, useRef, type ReactNode } from "react";
import { Button, type ButtonVariant } from "@/components/ui/button";

interface ConfirmButtonProps {
  /** The label of the button that opens the dialog. */
  children: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel?: string;
  onConfirm: () => void;
  variant?: ButtonVariant;
  confirmVariant?: ButtonVariant;
  size?: "sm" | "md";
  disabled?: boolean;
}

/**
 * A button that asks first: it opens a native modal `<dialog>` (focus trapped,
 * Escape cancels) and runs `onConfirm` only on Confirm. Inside a form, call
 * `form.requestSubmit()` from `onConfirm`.
 */
export function ConfirmButton({
  children,
  title,
  description,
  confirmLabel = "Confirm",
  onConfirm,
  variant = "secondary",
  confirmVariant = "danger",
  size = "sm",
  disabled,
}: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  return (
    <>
      <Button variant={variant} size={size} disabled={disabled} aria-haspopup="dialog" onClick={() => dialog.current?.showModal()}>
        {children}
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        aria-describedby={descriptionId}
        className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-6 text-left whitespace-normal text-slate-900 shadow-xl backdrop:bg-slate-900/40"
      >
        <h2 id={titleId} className="text-base font-semibold [overflow-wrap:anywhere]">
          {title}
        </h2>
        <div id={descriptionId} className="mt-2 text-sm text-slate-700">
          {description}
        </div>
        <div className="mt-6 flex justify-end gap-2">
          {/* Cancel comes first so that it, not Confirm, gets the focus when the dialog opens. */}
          <Button variant="secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </Button>
          <Button
            variant={confirmVariant}
            onClick={() => {
              dialog.current?.close();
              onConfirm();
            }}
          >
            {confirmLabel}
          </Button>
        </div>
      </dialog>
    </>
  );
}
