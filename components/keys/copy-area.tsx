"use client";

import { useRef, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";

/**
 * A read-only multi-line value (a JWK, a PEM block) in monospace, with a Copy
 * button. CopyBox's one-line input would drop the line breaks a PEM needs.
 * With `wrap`, one long line (a JWT) wraps so all of it shows.
 */
export function CopyArea({ id, label, value, rows, note, wrap = false }: { id: string; label: string; value: string; rows?: number; note?: ReactNode; wrap?: boolean }) {
  const toast = useToast();
  const area = useRef<HTMLTextAreaElement>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      toast("Copied");
    } catch {
      // No clipboard (an insecure origin, a denied permission): leave it selected to copy by hand.
      area.current?.select();
      toast("Could not copy; the text is selected, copy it with the keyboard", "error");
    }
  }

  return (
    <div className="space-y-1">
      <div className="flex items-end justify-between gap-2">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {label}
        </label>
        <Button variant="secondary" size="sm" onClick={() => void copy()}>
          Copy<span className="sr-only"> {label.toLowerCase()}</span>
        </Button>
      </div>
      <textarea
        ref={area}
        id={id}
        readOnly
        value={value}
        rows={rows ?? (wrap ? Math.min(Math.max(Math.ceil(value.length / 100), 3), 12) : Math.min(Math.max(value.split("\n").length, 3), 20))}
        spellCheck={false}
        autoComplete="off"
        wrap={wrap ? "soft" : "off"}
        aria-describedby={note ? `${id}-note` : undefined}
        data-testid={`${id}-value`}
        className={`${wrap ? "break-all " : ""}block w-full min-w-0 resize-y rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-900 focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600`}
      />
      {note ? (
        <p id={`${id}-note`} className="text-xs text-slate-600">
          {note}
        </p>
      ) : null}
    </div>
  );
}
