import pino, { type Logger } from "pino";
import { env } from "@/lib/env";

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

/** The structured logger (JSON lines on stdout), shared by the server and Next. */
export function log(): Logger {
  globalForLog.__keywardLog ??= pino({
    level: env().logLevel,
    base: { service: "keyward" },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  return globalForLog.__keywardLog;
}
