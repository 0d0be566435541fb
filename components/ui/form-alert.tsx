import type { ActionResult, StaleEdit } from "@/lib/actions/action-state";

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
  if (state.stale) return <StaleAlert id={id} stale={state.stale} />;
  const paths = Object.keys(state.fieldErrors);
  const allPlaced = paths.length > 0 && paths.every((p) => fields.includes(p));
  const text = allPlaced ? "Some fields need attention; see the messages beside them." : asSentence(state.message);
  return (
    <p id={id} role="alert" data-testid="form-alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
      {text}
    </p>
  );
}

/** When a change happened, in the reader's own time: the time alone today, the date too before. */
function when(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const today = at.toDateString() === new Date().toDateString();
  return today ? at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }) : at.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/**
 * A save refused because someone else changed the object after this form was
 * opened. What was typed stays in the form; the link loads the current
 * version (a plain link: it works before hydration too).
 */
function StaleAlert({ stale, id }: { stale: StaleEdit; id?: string }) {
  const object = stale.object.charAt(0).toUpperCase() + stale.object.slice(1);
  return (
    <div id={id} role="alert" data-testid="form-alert" data-stale="true" className="rounded-md border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <p>
        {object} was changed{stale.by ? ` by ${stale.by}` : ""} at <time dateTime={stale.at}>{when(stale.at)}</time> since you opened this form. Reload to see the
        change; your edits were not saved.
      </p>
      <p className="mt-1">
        <a href="" className="font-medium underline">
          Reload
        </a>{" "}
        (what you typed here is lost on reload; copy it first if you need it).
      </p>
    </div>
  );
}
