import { z } from "zod";

export const SIGNING_ALG_VALUES = ["PS256", "RS256", "ES256", "ES384", "EdDSA"] as const;
export const KEY_STATES = ["staged", "active", "retired", "removed", "revoked"] as const;
export type KeyState = (typeof KEY_STATES)[number];

const algSchema = z.enum(SIGNING_ALG_VALUES).describe("Signing algorithm; the tenant's profile may narrow the choice");
const kidSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(256, "must be at most 256 characters")
  .regex(/^[\x21-\x7e]+$/, "may contain only printable ASCII characters without spaces")
  .describe("A kid given by the admin (e.g. the one the Open Finance Brazil directory issued)");
const kidStrategySchema = z
  .enum(["thumbprint", "x5t", "x5t#S256", "given"])
  .describe("How the kid is made: RFC 7638 thumbprint, the certificate's x5t or x5t#S256, or given");
const appIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\w.:-]+$/, "may contain letters, digits, '.', ':', '_' and '-'")
  .describe("Scope the key to one client (served at /{tenant}/oauth2/v1/certs/app/{appId})");
const pem = (what: string) => z.string().min(1, "is required").max(200_000, `is too large for ${what}`);

export const addKeySchema = z
  .discriminatedUnion("source", [
    z.object({
      source: z.literal("generate"),
      alg: algSchema.optional(),
      kid: kidSchema.optional(),
      appId: appIdSchema.optional(),
    }),
    z.object({
      source: z.literal("pem"),
      certificatePem: pem("a certificate chain").optional().describe("The certificate, or the chain (any order)"),
      privateKeyPem: pem("a private key").describe("PKCS#8, PKCS#1, SEC1 or encrypted PKCS#8"),
      passphrase: z.string().max(1024).optional().describe("For an encrypted private key"),
      alg: algSchema.optional(),
      kid: kidSchema.optional(),
      kidStrategy: kidStrategySchema.optional(),
      appId: appIdSchema.optional(),
    }),
    z.object({
      source: z.literal("jwk"),
      jwk: z.record(z.string(), z.unknown()).describe("A private JWK (write-only: never returned)"),
      certificatePem: pem("a certificate chain").optional(),
      alg: algSchema.optional(),
      kid: kidSchema.optional(),
      kidStrategy: kidStrategySchema.optional(),
      appId: appIdSchema.optional(),
    }),
  ])
  .meta({ id: "AddSigningKey" });
export type AddKeyInput = z.infer<typeof addKeySchema>;

export const csrRequestSchema = z
  .object({
    subject: z.string().trim().min(3, "is required").max(1000).describe('Distinguished name, e.g. "CN=bank.example,O=Bank,C=GB"'),
    sans: z.array(z.string().max(300)).max(20).optional().describe('Subject alternative names, e.g. "DNS:bank.example"'),
  })
  .meta({ id: "CsrRequest" });

export const attachCertificateSchema = z
  .object({ certificatePem: pem("a certificate chain").describe("The certificate issued for this key, with its chain") })
  .meta({ id: "AttachCertificate" });

export const activateKeySchema = z
  .object({
    force: z.boolean().default(false).describe("Activate although relying parties may not have fetched the key yet"),
    reason: z
      .string()
      .trim()
      .max(500, "must be at most 500 characters")
      .optional()
      .describe("Why the activation is forced: audited and shown on the dashboard (the console asks for one; without it the audit says none was given)"),
  })
  .refine((v) => !v.force || v.reason === undefined || v.reason.length >= 3, {
    path: ["reason"],
    message: "say why the activation is forced (at least 3 characters): it is audited and shown on the dashboard",
  })
  .meta({ id: "ActivateKey" });

export const revokeKeySchema = z
  .object({
    reason: z.string().trim().min(3, "say why the key is revoked").max(500, "must be at most 500 characters"),
    replacementKid: kidSchema.optional().describe("Revoking the active key: the staged key that signs from now on"),
    generateReplacement: z.boolean().optional().describe("Revoking the active key: generate a new key that signs from now on"),
  })
  .refine((v) => !(v.replacementKid && v.generateReplacement), {
    path: ["replacementKid"],
    message: "name a staged key or ask for a generated one, not both",
  })
  .meta({ id: "RevokeKey" });

const certificateSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  sans: z.array(z.string()),
  keyUsage: z.array(z.string()),
  extendedKeyUsage: z.array(z.string()),
  sha1Fingerprint: z.string(),
  sha256Fingerprint: z.string(),
  selfSigned: z.boolean(),
});

export const publicJwkSchema = z
  .object({ kty: z.string(), kid: z.string(), use: z.string(), alg: z.string() })
  .catchall(z.unknown())
  .meta({ id: "PublicJwk", description: "Public members only" });

export const signingKeySchema = z
  .object({
    kid: z.string(),
    alg: z.enum(SIGNING_ALG_VALUES),
    state: z.enum(KEY_STATES),
    source: z.string(),
    kidStrategy: z.string(),
    appId: z.string().nullable(),
    publicJwk: publicJwkSchema,
    certificate: certificateSchema.nullable(),
    chainLength: z.number().int(),
    expiry: z.enum(["ok", "soon", "expired", "not-yet-valid", "none"]).describe("The certificate's validity window"),
    hasCsr: z.boolean(),
    createdBy: z.string(),
    createdAt: z.string(),
    activatedAt: z.string().nullable(),
    retiredAt: z.string().nullable(),
    removedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    revokeReason: z.string().nullable(),
    activatesAt: z.string().nullable().describe("Planned activation (a rotation in progress)"),
    removesAt: z.string().nullable().describe("When a retired key leaves the JWKS (end of retention)"),
    forcedReason: z.string().nullable().describe("Why the key was activated before its propagation time had passed"),
  })
  .meta({ id: "SigningKey" });
export type SigningKeyView = z.infer<typeof signingKeySchema>;

export const keyPreviewSchema = z
  .object({
    kid: z.string(),
    alg: z.enum(SIGNING_ALG_VALUES),
    kidStrategy: z.string(),
    publicJwk: publicJwkSchema,
    certificate: certificateSchema.nullable(),
    chainComplete: z.boolean().nullable(),
    key: z.object({ kty: z.string(), bits: z.number().optional(), crv: z.string().optional() }),
    warnings: z.array(z.string()),
  })
  .meta({ id: "SigningKeyPreview" });
export type KeyPreview = z.infer<typeof keyPreviewSchema>;

export const listKeysQuerySchema = z.object({
  state: z.enum(KEY_STATES).optional(),
  appId: z.string().max(200).optional().describe("Only the keys of this app; without it, tenant-wide keys and app keys"),
});
