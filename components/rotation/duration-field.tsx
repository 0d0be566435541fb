import type { ReactNode } from "react";
import { Field } from "@/components/ui/field";
import { splitDuration, UNITS, type DurationUnit } from "@/components/rotation/durations";

const UNIT_SELECT =
  "rounded-md border border-slate-300 bg-white px-2 py-2 text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600";

/**
 * A duration as a number and a unit (seconds to days), posted as `{id}` and
 * `{id}Unit`; the server action turns them into seconds. Opens on the largest
 * unit that shows the value as a whole number.
 */
export function DurationField({
  id,
  label,
  seconds,
  units = ["d", "h", "min", "s"],
  hint,
  error,
  disabled,
}: {
  id: string;
  label: string;
  seconds: number;
  units?: readonly DurationUnit[];
  hint?: ReactNode;
  error?: string;
  disabled?: boolean;
}) {
  const { value, unit } = splitDuration(seconds, units);
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {({ className, ...a11y }) => (
        <div className="flex gap-2">
          <input
            name={id}
            type="number"
            inputMode="decimal"
            min={0}
            step="any"
            required
            defaultValue={value}
            disabled={disabled}
            {...a11y}
            className={`${className} max-w-40`}
          />
          <select name={`${id}Unit`} aria-label={`Unit of ${label.toLowerCase()}`} defaultValue={unit} disabled={disabled} className={UNIT_SELECT}>
            {UNITS.filter((u) => units.includes(u.id)).map((u) => (
              <option key={u.id} value={u.id}>
                {u.plural}
              </option>
            ))}
          </select>
        </div>
      )}
    </Field>
  );
}
