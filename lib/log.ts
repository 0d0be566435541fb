import pino, { type Logger } from "pino";
import { env } from "@/lib/env";
import { currentRequest } from "@/lib/observability/request-context";

const globalForLog = globalThis as unknown as { __keywardLog?: Logger };

// Defence in depth: whatever a caller passes, these fields never reach the log.
const REDACT = [
  "password",
  "passphrase",
  "secret",
  "token",
  "privateKey",
  "privateKeyPem",
  "authorization",
  "*.password",
  "*.passphrase",
  "*.secret",
  "*.token",
  "*.privateKey",
  "*.privateKeyPem",
  "*.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
];

/** The logger's options: JSON lines, secrets redacted, the request id on every line of a request's work. */
export function loggerOptions(level: string): pino.LoggerOptions {
  return {
    level,
    base: { service: "keyward" },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Every line written while serving a request names it.
    mixin: () => {
      const request = currentRequest();
      return request ? { requestId: request.requestId } : {};
    },
  };
}

/** The structured logger (JSON lines on stdout), shared by the server and Next. */
export function log(): Logger {
  globalForLog.__keywardLog ??= pino(loggerOptions(env().logLevel));
  return globalForLog.__keywardLog;
}
