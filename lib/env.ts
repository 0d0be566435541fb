import path from "node:path";
import { z } from "zod";
import { generateKek, parseKek } from "@/lib/crypto/seal";
import { generateAuthSecret, resolveSecret } from "@/lib/secrets/data-secrets";

/**
 * The environment, parsed once. Nothing else in Keyward reads `process.env`
 * (except next.config.js and the scripts that run before the app exists).
 */

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  DATABASE_URL: z
    .string()
    .default("file:./data/keyward.db")
    .refine((v) => v.startsWith("file:") || /^postgres(ql)?:\/\//.test(v), {
      message: "must be file:<path> (embedded SQLite) or postgresql://… (PostgreSQL)",
    }),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().default("0.0.0.0"),
  KEYWARD_PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  KEYWARD_DATA_DIR: z.string().default("./data"),
  KEYWARD_KEK: optionalString,
  KEYWARD_KEK_FILE: optionalString,
  AUTH_SECRET: optionalString,
  NEXTAUTH_SECRET: optionalString,
  KEYWARD_BOOTSTRAP_ADMIN_EMAIL: optionalString.pipe(z.email().optional()),
  KEYWARD_BOOTSTRAP_ADMIN_PASSWORD: optionalString.pipe(
    z.string().min(12, "must be at least 12 characters").optional(),
  ),
  KEYWARD_BOOTSTRAP_API_TOKEN: optionalString.pipe(
    z.string().min(32, "must be at least 32 characters").max(256).optional(),
  ),
  KEYWARD_OUTBOUND_ALLOW: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  KEYWARD_SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(60).max(604800).default(28800),
  KEYWARD_TRUST_PROXY: z
    .enum(["true", "false", "1", "0", ""])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  KEYWARD_SCHEDULER: z.enum(["on", "off"], { message: 'must be "on" or "off"' }).default("on"),
  KEYWARD_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(1000),
  KEYWARD_JWKS_MAX_STALENESS_SECONDS: z.coerce.number().int().min(0).max(604_800).default(86_400),
  KEYWARD_METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").max(256).optional()),
});

export interface Env {
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string;
  port: number;
  hostname: string;
  publicUrl: string;
  dataDir: string;
  /** The key-encryption key (32 bytes) for private keys at rest. */
  kek: Buffer;
  kekSource: "env" | "file" | "generated";
  kekPath?: string;
  authSecret: string;
  authSecretSource: "env" | "file" | "generated";
  bootstrapAdminEmail?: string;
  bootstrapAdminPassword?: string;
  bootstrapApiToken?: string;
  outboundAllow: string[];
  sessionMaxAgeSeconds: number;
  trustProxy: boolean;
  logLevel: string;
  /** Whether this process runs the rotation scheduler (off: run `keyward rotate-tick` from cron). */
  scheduler: boolean;
  schedulerIntervalMs: number;
  /** The bearer token of GET /metrics; unset: no metrics endpoint. */
  metricsToken?: string;
  /** How long past their max-age remote JWKS keys stay in use while refreshing them fails. */
  jwksMaxStalenessSeconds: number;
  /** Whether cookies must be Secure (the public URL is https). */
  secureCookies: boolean;
}

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses an environment object; throws EnvError listing every problem. Exposed for tests. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.KEYWARD_DATA_DIR);
  const problems: string[] = [];
  if (e.KEYWARD_BOOTSTRAP_ADMIN_PASSWORD && !e.KEYWARD_BOOTSTRAP_ADMIN_EMAIL) {
    problems.push("KEYWARD_BOOTSTRAP_ADMIN_PASSWORD: set KEYWARD_BOOTSTRAP_ADMIN_EMAIL too");
  }
  let kek: Buffer | undefined;
  let kekInfo: ReturnType<typeof resolveSecret> | undefined;
  try {
    kekInfo = resolveSecret({
      name: "KEYWARD_KEK",
      value: e.KEYWARD_KEK,
      file: e.KEYWARD_KEK_FILE,
      dataDir,
      defaultFileName: "kek",
      generate: generateKek,
    });
    kek = parseKek(kekInfo.value);
  } catch (error) {
    problems.push(`KEYWARD_KEK: ${(error as Error).message.replace(/^KEYWARD_KEK /, "")}`);
  }
  let authInfo: ReturnType<typeof resolveSecret> | undefined;
  try {
    authInfo = resolveSecret({
      name: "AUTH_SECRET",
      value: e.AUTH_SECRET ?? e.NEXTAUTH_SECRET,
      dataDir,
      defaultFileName: "auth-secret",
      generate: generateAuthSecret,
    });
    if (authInfo.value.length < 32) problems.push("AUTH_SECRET: must be at least 32 characters");
  } catch (error) {
    problems.push(`AUTH_SECRET: ${(error as Error).message}`);
  }
  if (problems.length > 0 || !kek || !kekInfo || !authInfo) throw new EnvError(problems);
  const publicUrl = (e.KEYWARD_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  return {
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    hostname: e.HOSTNAME,
    publicUrl,
    dataDir,
    kek,
    kekSource: kekInfo.source,
    kekPath: kekInfo.path,
    authSecret: authInfo.value,
    authSecretSource: authInfo.source,
    bootstrapAdminEmail: e.KEYWARD_BOOTSTRAP_ADMIN_EMAIL?.toLowerCase(),
    bootstrapAdminPassword: e.KEYWARD_BOOTSTRAP_ADMIN_PASSWORD,
    bootstrapApiToken: e.KEYWARD_BOOTSTRAP_API_TOKEN,
    outboundAllow: e.KEYWARD_OUTBOUND_ALLOW,
    sessionMaxAgeSeconds: e.KEYWARD_SESSION_MAX_AGE_SECONDS,
    trustProxy: e.KEYWARD_TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    scheduler: e.KEYWARD_SCHEDULER === "on",
    schedulerIntervalMs: e.KEYWARD_SCHEDULER_INTERVAL_MS,
    metricsToken: e.KEYWARD_METRICS_TOKEN,
    jwksMaxStalenessSeconds: e.KEYWARD_JWKS_MAX_STALENESS_SECONDS,
    secureCookies: publicUrl.startsWith("https://"),
  };
}

const globalForEnv = globalThis as unknown as { __keywardEnv?: Env };

/**
 * The process environment, parsed on first use. Shared through `globalThis` so the
 * custom server and Next's bundle (two module graphs, one process) see one object.
 */
export function env(): Env {
  globalForEnv.__keywardEnv ??= parseEnv(process.env);
  return globalForEnv.__keywardEnv;
}

/** Forget the parsed environment (tests that change process.env). */
export function resetEnvForTests(): void {
  globalForEnv.__keywardEnv = undefined;
}
