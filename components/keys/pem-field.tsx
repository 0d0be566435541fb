"use client";

import { useState, type DragEvent, type ReactNode } from "react";
import { Field } from "@/components/ui/field";

/** Files larger than this are refused in the browser: no PEM or JWK an admin uploads comes near it. */
export const MAX_FILE_BYTES = 200 * 1024;

interface PemFieldProps {
  id: string;
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  /** The server's message for this field. */
  error?: string;
  placeholder?: string;
  rows?: number;
  required?: boolean;
  /** What the file picker offers first, e.g. ".pem,.crt,.cer". */
  accept?: string;
}

/**
 * A textarea for PEM (or JSON) text that also takes a file: dropped onto it, or
 * chosen with the picker below it. The file is read as text in the browser and
 * lands in the textarea, so what is sent is always what is shown.
 */
export function PemField({ id, name, label, value, onChange, hint, error, placeholder, rows = 8, required, accept }: PemFieldProps) {
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  async function load(file: File) {
    if (file.size > MAX_FILE_BYTES) {
      setFileError(`${file.name} is ${Math.ceil(file.size / 1024)} KB; files over 200 KB are refused`);
      return;
    }
    try {
      const text = await file.text();
      setFileError(null);
      onChange(text);
    } catch {
      setFileError(`${file.name} could not be read`);
    }
  }

  function hasFiles(event: DragEvent) {
    return Array.from(event.dataTransfer.types).includes("Files");
  }

  return (
    <div className="space-y-1.5">
      <Field id={id} label={label} hint={hint} error={fileError ?? error}>
        {(a11y) => (
          <textarea
            {...a11y}
            name={name}
            value={value}
            rows={rows}
            required={required}
            placeholder={placeholder}
            spellCheck={false}
            autoComplete="off"
            autoCapitalize="off"
            onChange={(e) => {
              setFileError(null);
              onChange(e.target.value);
            }}
            onDragOver={(e) => {
              if (!hasFiles(e)) return;
              e.preventDefault();
              e.dataTransfer.dropEffect = "copy";
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => {
              setDragging(false);
              const file = e.dataTransfer.files[0];
              if (!file) return;
              e.preventDefault();
              void load(file);
            }}
            className={`${a11y.className} font-mono text-xs ${dragging ? "border-brand-600 bg-brand-50 ring-2 ring-brand-600" : ""}`}
          />
        )}
      </Field>
      <div className="flex flex-wrap items-center gap-2 text-xs text-slate-700">
        <label htmlFor={`${id}-file`}>
          Or load a file<span className="sr-only"> into {label}</span>:
        </label>
        <input
          id={`${id}-file`}
          type="file"
          accept={accept}
          data-testid={`${id}-file`}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void load(file);
            // Choosing the same file again after an edit loads it again.
            e.target.value = "";
          }}
          className="text-xs file:mr-2 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-2.5 file:py-1 file:text-xs file:font-medium file:text-slate-800 hover:file:bg-slate-50"
        />
      </div>
    </div>
  );
}
