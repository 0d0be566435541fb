import { z } from "zod";

export const DIRECTORY_ENVIRONMENTS = ["sandbox", "production"] as const;
export type DirectoryEnvironment = (typeof DIRECTORY_ENVIRONMENTS)[number];

const jwksInput = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1, "must hold at least one key").max(50) });

export const createDirectorySchema = z
  .discriminatedUnion(
    "kind",
    [
    z
      .object({
        kind: z.literal("external").default("external").describe("A real directory: its SSA issuer and its keys (the default)"),
        name: z.string().trim().min(1, "is required").max(200),
        issuer: z.string().trim().min(1, "is required").max(200).describe('The "iss" of its software statements, e.g. "OpenBanking Ltd"'),
        environment: z.enum(DIRECTORY_ENVIRONMENTS),
        jwksUri: z.string().trim().max(2000).optional().describe("Where the directory publishes its signing keys"),
        jwks: jwksInput.optional().describe("Or its public keys inline"),
      })
      .refine((v) => !v.jwksUri !== !v.jwks, { path: ["jwksUri"], message: "give exactly one of jwksUri or jwks" }),
    z.object({
      kind: z.literal("sandbox").describe("A sandbox directory run by Keyward: it issues test SSAs for this tenant"),
      name: z.string().trim().min(1).max(200).default("Sandbox directory"),
    }),
    ],
    { error: 'must be "external" (the default) or "sandbox"' },
  )
  .meta({ id: "CreateDirectory" });

export const directorySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    issuer: z.string(),
    environment: z.enum(DIRECTORY_ENVIRONMENTS),
    kind: z.enum(["external", "sandbox"]),
    jwksUri: z.string().nullable(),
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).nullable(),
    enabled: z.boolean(),
    health: z
      .object({ status: z.string(), lastSuccessAt: z.string().nullable(), lastError: z.string().nullable(), keyCount: z.number().nullable() })
      .nullable()
      .describe("The JWKS fetch state in this process (jwksUri only)"),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: "Directory" });
export type DirectoryView = z.infer<typeof directorySchema>;

const redirectUri = z.string().trim().url("must be an absolute URL").max(2000);

export const issueSsaSchema = z
  .object({
    softwareId: z.string().trim().min(1, "is required").max(100).regex(/^[\w.-]+$/, "may contain letters, digits, '.', '_' and '-'"),
    softwareClientName: z.string().trim().min(1, "is required").max(200),
    orgId: z.string().trim().min(1, "is required").max(100),
    orgName: z.string().trim().min(1, "is required").max(200),
    redirectUris: z.array(redirectUri).min(1, "give at least one redirect URI").max(20),
    roles: z.array(z.enum(["AISP", "PISP", "CBPII", "ASPSP"])).min(1).max(4).default(["AISP"]),
    softwareJwksEndpoint: z.string().trim().url("must be an absolute URL").max(2000).optional().describe("Where the TPP publishes its keys"),
    softwareJwks: jwksInput.optional().describe("Or the TPP's public keys inline (profiles that allow it)"),
  })
  .refine((v) => !v.softwareJwksEndpoint !== !v.softwareJwks, { path: ["softwareJwksEndpoint"], message: "give exactly one of softwareJwksEndpoint or softwareJwks" })
  .meta({ id: "IssueSsa" });

export const issuedSsaSchema = z
  .object({ softwareStatement: z.string().describe("The SSA, a JWT signed by the sandbox directory"), claims: z.record(z.string(), z.unknown()) })
  .meta({ id: "IssuedSsa" });
