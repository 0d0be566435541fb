import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";
import { tenantScopeSchema } from "@/lib/auth/tenant-scope";

export const roleSchema = z.enum(ROLES).describe("viewer (read), operator (keys, IdPs, clients), admin (everything)");

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("must be an email address").max(320));

export const createUserSchema = z
  .object({
    email: emailSchema,
    name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
    role: roleSchema,
    password: z
      .string()
      .min(12, "must be at least 12 characters")
      .max(256)
      .optional()
      .describe("Set the password now; without it, an invite link is returned (once) for the user to set it"),
    tenants: tenantScopeSchema.default(null),
  })
  .meta({ id: "CreateUser" });
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    name: z.string().trim().min(1, "is required").max(100).optional(),
    role: roleSchema.optional(),
    disabled: z.boolean().optional().describe("Disable (true) or re-enable (false) the account"),
    tenants: tenantScopeSchema.optional(),
  })
  .meta({ id: "UpdateUser" });
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    status: z.enum(["active", "invited", "disabled"]),
    tenants: z.array(z.string()).nullable().describe("null: every tenant; otherwise the only tenants the user acts in"),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
    version: z.number().int().describe("Bumped by every edit; the ETag is \"v{version}\" (send it back in If-Match)"),
  })
  .meta({ id: "User" });
export type UserView = z.infer<typeof userSchema>;

export const createdUserSchema = userSchema
  .extend({ inviteUrl: z.string().optional().describe("One-time link for the user to set a password (shown once)") })
  .meta({ id: "CreatedUser" });

export const createTokenSchema = z
  .object({
    name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
    role: roleSchema,
    expiresAt: z.iso
      .datetime({ offset: true, message: "must be an ISO 8601 date-time" })
      .optional()
      .describe("When the token stops working; none means it works until revoked"),
    tenants: tenantScopeSchema.default(null),
  })
  .meta({ id: "CreateApiToken" });
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

export const apiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleSchema,
    prefix: z.string().describe("The first characters of the token, to recognise it"),
    tenants: z.array(z.string()).nullable().describe("null: every tenant; otherwise the only tenants the token acts in"),
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    status: z.enum(["active", "expired", "revoked"]),
  })
  .meta({ id: "ApiToken" });
export type ApiTokenView = z.infer<typeof apiTokenSchema>;

export const createdTokenSchema = apiTokenSchema
  .extend({ token: z.string().describe("The token itself: shown once, stored only as a hash") })
  .meta({ id: "CreatedApiToken" });

export const acceptInviteSchema = z.object({
  token: z.string().min(20).max(200),
  password: z.string().min(12, "must be at least 12 characters").max(256),
});
