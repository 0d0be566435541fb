"use client";

import { startTransition, useActionState, useRef, type FormEvent } from "react";
import { IDLE, type ActionResult } from "@/lib/actions/action-state";
import { useToast } from "@/components/ui/toast";


type ServerFormAction<T> = (prev: ActionResult<T>, form: FormData) => Promise<ActionResult<T>>;

interface Options<T> {
  /** Clear the form after a success (a create form), not after a refusal. */
  resetOnSuccess?: boolean;
  /** Runs with the answer of a success, e.g. to keep a one-time secret on screen. */
  onSuccess?: (data: T | undefined) => void;
}

/**
 * A form bound to a server action with `useActionState`: a success shows its
 * message as a toast; a refusal leaves what was typed in place (the submit is
 * intercepted so React does not reset the form) and exposes the field errors.
 * `formAction` stays on the form so it also works before hydration.
 */
export function useServerForm<T>(action: ServerFormAction<T>, options: Options<T> = {}) {
  const toast = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction, pending] = useActionState<ActionResult<T>, FormData>(async (prev, form) => {
    const result = await action(prev, form);
    if (result.ok) {
      toast(result.message);
      options.onSuccess?.(result.data);
      if (options.resetOnSuccess) formRef.current?.reset();
    }
    return result;
  }, IDLE);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => formAction(form));
  }

  const fieldErrors: Record<string, string> = state.ok ? {} : state.fieldErrors;
  return { state, formAction, onSubmit, pending, formRef, fieldErrors };
}
