import type { SigningKeyView } from "@/lib/keys/schemas";
import { Badge } from "@/components/ui/badge";

const DAY_MS = 86_400_000;

function day(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/** The certificate's validity window as a badge: the date when all is well, a warning when not. */
export function ExpiryBadge({ expiry, notAfter, notBefore, now }: { expiry: SigningKeyView["expiry"]; notAfter?: string | null; notBefore?: string | null; now: number }) {
  switch (expiry) {
    case "ok":
      return <Badge tone="green">{notAfter ? `valid until ${day(notAfter)}` : "valid"}</Badge>;
    case "soon": {
      const days = notAfter ? Math.max(1, Math.ceil((new Date(notAfter).getTime() - now) / DAY_MS)) : null;
      return <Badge tone="amber">{days === null ? "expires soon" : `expires in ${days} ${days === 1 ? "day" : "days"}`}</Badge>;
    }
    case "expired":
      return <Badge tone="red">{notAfter ? `expired ${day(notAfter)}` : "expired"}</Badge>;
    case "not-yet-valid":
      return <Badge tone="amber">{notBefore ? `not valid before ${day(notBefore)}` : "not yet valid"}</Badge>;
    default:
      return <Badge tone="neutral">no expiry</Badge>;
  }
}
