"use client";

import { useRef, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";

/** A read-only value (a token, a link) in monospace, with a Copy button. */
export function CopyBox({ id, label, value, note }: { id: string; label: string; value: string; note?: ReactNode }) {
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      toast("Copied");
    } catch {
      // No clipboard (an insecure origin, a denied permission): leave it selected to copy by hand.
      input.current?.select();
      toast("Could not copy; the text is selected, copy it with the keyboard", "error");
    }
  }

  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          ref={input}
          id={id}
          type="text"
          readOnly
          value={value}
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby={note ? `${id}-note` : undefined}
          data-testid={`${id}-value`}
          className="block w-full min-w-0 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-900 focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600"
        />
        <Button variant="secondary" onClick={() => void copy()}>
          Copy<span className="sr-only"> {label.toLowerCase()}</span>
        </Button>
      </div>
      {note ? (
        <p id={`${id}-note`} className="text-xs font-medium text-amber-900">
          {note}
        </p>
      ) : null}
    </div>
  );
}
