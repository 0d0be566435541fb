import type { SigningKeyView } from "@/lib/keys/schemas";
import type { EarlyActivation } from "@/components/keys/activate-key-form";
import { formatDuration } from "@/components/rotation/durations";

/**
 * Whether activating `key` at `now` would come before relying parties can
 * have fetched it (the service then refuses unless forced), and until when.
 * Only a staged key in a scope where another key signs has to wait; a retired
 * key was published all along, and the first key of a scope signs at once.
 */
export function earlyActivation(
  key: Pick<SigningKeyView, "state" | "createdAt">,
  ctx: { effectivePropagationSeconds: number; scopeHasActive: boolean; now: number },
): EarlyActivation | null {
  if (key.state !== "staged" || !ctx.scopeHasActive) return null;
  const propagatedAt = Date.parse(key.createdAt) + ctx.effectivePropagationSeconds * 1000;
  if (propagatedAt <= ctx.now) return null;
  return {
    publishedAt: key.createdAt,
    propagatedAt: new Date(propagatedAt).toISOString(),
    remaining: formatDuration(Math.ceil((propagatedAt - ctx.now) / 1000)),
  };
}
