export interface KnownSecret {
  kind: string;
  value: string;
  origin: string;
  /** The recorded exchange whose answer revealed it by design. */
  revealedIn?: number;
}

export interface RecordedExchange {
  method: string;
  url: string;
  status: number;
  requestHeaders?: Record<string, unknown>;
  requestBody?: string;
  headers?: Record<string, unknown>;
  body?: string | null;
}

export interface Finding {
  location: string;
  what: string;
}

export function escapeLevels(text: string): string[];
export function findPrivateKeyMaterial(text: string): { kind: "pem" | "jwk"; detail: string; value: string }[];
export function needlesOf(value: string): string[];
export function addSecret(secrets: Map<string, KnownSecret>, kind: string, value: string, origin: string, revealedIn?: number): void;
export function secretsSentBy(exchange: RecordedExchange, secrets: Map<string, KnownSecret>, origin: string): void;
export function secretsRevealedBy(exchange: RecordedExchange, index: number, secrets: Map<string, KnownSecret>, origin: string): void;
export function scanText(location: string, text: string, secrets: Iterable<KnownSecret>, options?: { allow?: (secret: KnownSecret) => boolean }): Finding[];
export function scanExchanges(exchanges: RecordedExchange[], secrets: Map<string, KnownSecret>, recordName?: string): Finding[];
export function collectSecrets(exchanges: RecordedExchange[], named?: { kind: string; value: string; origin: string }[], recordName?: string): Map<string, KnownSecret>;
