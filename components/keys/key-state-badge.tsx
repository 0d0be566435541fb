import type { KeyState } from "@/lib/keys/schemas";
import { Badge } from "@/components/ui/badge";
import { STATE_TONE } from "@/components/keys/key-labels";

export function KeyStateBadge({ state }: { state: KeyState }) {
  return (
    <span data-testid="key-state">
      <Badge tone={STATE_TONE[state]}>{state}</Badge>
    </span>
  );
}
