import { z } from "zod";
import { profileSchema } from "@/lib/tenants/schemas";
import { KEY_STATES, SIGNING_ALG_VALUES, publicJwkSchema } from "@/lib/keys/schemas";

export const CONFIG_FORMAT = "keyward.tenant-config/v1";

/**
 * A tenant's configuration as exported: public parts only. Sections of features
 * that do not exist yet (identity providers, directories, clients) join this
 * format when they do.
 */
export const exportedKeySchema = z.object({
  kid: z.string(),
  alg: z.enum(SIGNING_ALG_VALUES),
  state: z.enum(KEY_STATES),
  appId: z.string().nullable(),
  kidStrategy: z.string(),
  publicJwk: publicJwkSchema,
});

/** The rotation policy as exported and imported (lib/rotation/policy.ts validates it). */
const exportedPolicySchema = z.object({
  propagationSeconds: z.number().int(),
  retentionSeconds: z.number().int(),
  rotationIntervalSeconds: z.number().int().nullable(),
  algorithm: z.enum(SIGNING_ALG_VALUES).nullable().describe("null: the profile's first"),
  autoActivate: z.boolean(),
  expiryWarningDays: z.number().int(),
  accessTokenTtlSeconds: z.number().int(),
});

export const tenantConfigSchema = z
  .object({
    format: z.literal(CONFIG_FORMAT),
    exportedAt: z.string(),
    tenant: z.object({ slug: z.string(), name: z.string(), profile: profileSchema, jwksMaxAgeSeconds: z.number().int() }),
    rotationPolicy: exportedPolicySchema,
    signing: z.object({
      activeKid: z.string().nullable().describe("The tenant-wide signing key"),
      apps: z.record(z.string(), z.string()).describe("appId → the app's signing key"),
    }),
    signingKeys: z.array(exportedKeySchema),
  })
  .meta({ id: "TenantConfig" });
export type TenantConfig = z.infer<typeof tenantConfigSchema>;

/**
 * What an import may say. Keys already in the tenant are referred to by kid
 * (the exported entries as they are); a new key is given as a private JWK,
 * which is write-only: no export ever contains it. Keys missing from the list
 * are left alone (removing a key is an explicit act, never a side effect).
 */
export const newKeyEntrySchema = z
    .object({
      jwk: z.record(z.string(), z.unknown()).describe("A new key: its private JWK (write-only)"),
      kid: z.string().trim().min(1).max(256).optional(),
      alg: z.enum(SIGNING_ALG_VALUES).optional(),
      appId: z.string().trim().min(1).max(200).nullable().optional(),
      certificatePem: z.string().max(200_000).optional(),
    })
    .describe("Exported members (state, publicJwk …) may stay: they are ignored for a new key");
export type NewKeyEntry = z.infer<typeof newKeyEntrySchema>;
export const existingKeyEntrySchema = z
  .object({ kid: z.string().trim().min(1).max(256) })
  .passthrough()
  .describe("A key the tenant has: its kid (the other exported members are ignored)");
// Each entry is checked as a new key (with "jwk") or an existing one (by kid)
// by the import itself, so that every problem gets its precise path.
const importKeySchema = z
  .record(z.string(), z.unknown())
  .describe('A new key {"jwk": {…private JWK…}, "kid"?, "alg"?, "appId"?, "certificatePem"?}, or a key the tenant has {"kid": …}');

export const tenantConfigImportSchema = z
  .object({
    format: z.literal(CONFIG_FORMAT, { error: `must be "${CONFIG_FORMAT}"` }),
    tenant: z
      .object({
        slug: z.string().optional().describe("Ignored when it matches; a different slug is refused"),
        name: z.string().trim().min(1, "is required").max(100).optional(),
        profile: profileSchema.optional(),
        jwksMaxAgeSeconds: z.number().int().min(0).max(86_400).optional(),
      })
      .passthrough()
      .optional(),
    rotationPolicy: z.record(z.string(), z.unknown()).optional().describe("Checked as the rotation-policy endpoint checks it"),
    signing: z
      .object({
        activeKid: z.string().trim().min(1).nullable().optional(),
        apps: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
    signingKeys: z.array(importKeySchema).max(100).optional(),
  })
  .passthrough()
  .meta({ id: "TenantConfigImport" });
export type TenantConfigImport = z.infer<typeof tenantConfigImportSchema>;

export const configChangeSchema = z.object({
  path: z.string(),
  change: z.enum(["set", "add"]),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type ConfigChange = z.infer<typeof configChangeSchema>;

export const configImportResultSchema = z
  .object({
    applied: z.boolean().describe("false for a dry run"),
    changes: z.array(configChangeSchema),
  })
  .meta({ id: "TenantConfigImportResult" });
