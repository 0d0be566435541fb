import { z } from "zod";

/** Asymmetric JWS algorithms only: never `none`, never an HMAC (which a public key could be abused to key). */
export const ASSERTION_ALGS = ["PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "EdDSA"] as const;
export const DEFAULT_ASSERTION_ALGS = ["PS256", "RS256", "ES256", "ES384", "EdDSA"] as const;

const fetchLimitsSchema = z
  .object({
    connectTimeoutMs: z.number().int().min(100, "must be at least 100").max(30_000, "must be at most 30000").default(1000),
    readTimeoutMs: z.number().int().min(100, "must be at least 100").max(30_000, "must be at most 30000").default(1000),
    sizeLimitBytes: z.number().int().min(1024, "must be at least 1024").max(1_048_576, "must be at most 1048576").default(51_200),
  })
  .describe("Limits of the jwks_uri fetch (defaults: 1000 ms, 1000 ms, 51200 bytes)");

const jwksSchema = z
  .object({ keys: z.array(z.record(z.string(), z.unknown())).min(1, "must hold at least one key").max(100) })
  .passthrough();

const common = {
  name: z.string().trim().min(1, "is required").max(500).describe("The issuer (iss) the IdP puts in its JWTs"),
  audience: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .optional()
    .describe("The audience (aud) its JWTs must target; default: this tenant's token endpoint URL"),
  allowedAlgs: z.array(z.enum(ASSERTION_ALGS)).min(1, "allow at least one algorithm").max(10).optional(),
  enabled: z.boolean().optional(),
  maxAssertionLifetimeSeconds: z.number().int().min(10).max(86_400).optional().describe("The longest exp - iat accepted"),
  clockSkewSeconds: z.number().int().min(0).max(600).optional(),
  refuseJtiReuse: z.boolean().optional().describe("Refuse an assertion whose jti was seen before (replay)"),
  fetch: fetchLimitsSchema.partial().optional(),
};

export const createIdpSchema = z
  .object({
    ...common,
    jwksUri: z.string().trim().max(2000).optional().describe("Where the IdP publishes its keys"),
    jwks: jwksSchema.optional().describe("Or its keys inline (public members only)"),
    certificatePem: z.string().max(200_000).optional().describe("Or one or more PEM certificates"),
  })
  .superRefine((v, ctx) => {
    const sources = [v.jwksUri, v.jwks, v.certificatePem].filter((s) => s !== undefined && s !== "").length;
    if (sources !== 1) {
      ctx.addIssue({ code: "custom", path: ["jwksUri"], message: "give exactly one key source: jwksUri, jwks or certificatePem" });
    }
  })
  .meta({ id: "CreateIdentityProvider" });

export const updateIdpSchema = z
  .object({
    ...common,
    name: common.name.optional(),
    jwksUri: z.string().trim().max(2000).optional(),
    jwks: jwksSchema.optional(),
    certificatePem: z.string().max(200_000).optional(),
  })
  .superRefine((v, ctx) => {
    const sources = [v.jwksUri, v.jwks, v.certificatePem].filter((s) => s !== undefined && s !== "").length;
    if (sources > 1) ctx.addIssue({ code: "custom", path: ["jwksUri"], message: "give at most one key source: jwksUri, jwks or certificatePem" });
  })
  .meta({ id: "UpdateIdentityProvider" });

export const idpSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    audience: z.string(),
    keySource: z.enum(["jwks_uri", "jwks", "certificates"]),
    jwksUri: z.string().nullable(),
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).nullable().describe("Inline or certificate keys (public)"),
    allowedAlgs: z.array(z.string()),
    enabled: z.boolean(),
    maxAssertionLifetimeSeconds: z.number().int(),
    clockSkewSeconds: z.number().int(),
    refuseJtiReuse: z.boolean(),
    fetch: z.object({ connectTimeoutMs: z.number().int(), readTimeoutMs: z.number().int(), sizeLimitBytes: z.number().int() }),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int().describe("Bumped by every edit; the ETag is \"v{version}\" (send it back in If-Match)"),
  })
  .meta({ id: "IdentityProvider" });
export type IdpView = z.infer<typeof idpSchema>;
