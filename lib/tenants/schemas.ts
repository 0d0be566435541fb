import { z } from "zod";
import { PROFILE_IDS } from "@/lib/tenants/profiles";

// Slugs are the first segment of the public endpoints (/{tenant}/oauth2/…), so the
// names of the console's own routes are taken.
export const RESERVED_SLUGS = new Set([
  "api", "login", "logout", "invite", "tenants", "audit", "admin", "tools", "settings", "static", "public",
  "_next", "favicon.ico", "robots.txt", "health", "healthz", "metrics", "oauth2", "well-known", "register",
]);

export const slugSchema = z
  .string()
  .trim()
  .min(2, "must be at least 2 characters")
  .max(63, "must be at most 63 characters")
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "may contain only lowercase letters, digits, '-' and '_', starting with a letter or digit")
  .refine((s) => !RESERVED_SLUGS.has(s), { message: "is reserved by Keyward's own routes" });

export const profileSchema = z.enum(PROFILE_IDS).describe("generic, ob-uk (Open Banking UK) or open-finance-brazil");

export const createTenantSchema = z
  .object({
    slug: slugSchema.describe("The tenant's path segment; part of its issuer URL, so it cannot change later"),
    name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
    profile: profileSchema.default("generic"),
  })
  .meta({ id: "CreateTenant" });

export const updateTenantSchema = z
  .object({
    name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters").optional(),
    profile: profileSchema.optional(),
    jwksMaxAgeSeconds: z
      .number()
      .int("must be a whole number of seconds")
      .min(0, "must be 0 or more")
      .max(86_400, "must be at most 86400 (one day)")
      .optional()
      .describe("How long relying parties may cache the JWKS (Cache-Control max-age)"),
  })
  .meta({ id: "UpdateTenant" });

export const tenantSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    profile: profileSchema,
    issuer: z.string().describe("KEYWARD_PUBLIC_URL/{slug}"),
    jwksUri: z.string(),
    tokenEndpoint: z.string(),
    registrationEndpoint: z.string(),
    discoveryUrl: z.string(),
    jwksMaxAgeSeconds: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int().describe("Bumped by every edit; the ETag is \"v{version}\" (send it back in If-Match)"),
  })
  .meta({ id: "Tenant" });
export type TenantView = z.infer<typeof tenantSchema>;
