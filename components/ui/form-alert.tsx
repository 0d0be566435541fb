import type { ActionResult } from "@/lib/actions/action-state";

/** A service message as a sentence: "this link has expired" → "This link has expired.". */
export function asSentence(message: string): string {
  const text = message.trim();
  if (!text) return text;
  // Only a plain first word gets a capital: never an email, a slug or an identifier.
  const capital = /^[a-z]+[\s,;:]/.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * The error of a whole form, announced when it appears. When the errors sit
 * beside fields the form shows (`fields`), it only points at them.
 */
export function FormAlert({ state, fields = [], id }: { state: ActionResult<unknown>; fields?: string[]; id?: string }) {
  if (state.ok || !state.message) return null;
  const paths = Object.keys(state.fieldErrors);
  const allPlaced = paths.length > 0 && paths.every((p) => fields.includes(p));
  const text = allPlaced ? "Some fields need attention; see the messages beside them." : asSentence(state.message);
  return (
    <p id={id} role="alert" data-testid="form-alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
      {text}
    </p>
  );
}
