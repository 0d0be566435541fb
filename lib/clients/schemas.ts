import { z } from "zod";

export const GRANT_TYPES = ["client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer"] as const;
export const AUTH_METHODS = ["client_secret_basic", "private_key_jwt"] as const;

export const createClientSchema = z
  .object({
    name: z.string().trim().min(1, "is required").max(200),
    tokenEndpointAuthMethod: z
      .enum([...AUTH_METHODS, "tls_client_auth"])
      .describe("client_secret_basic (a secret is returned once), private_key_jwt, or tls_client_auth (mutual TLS, by subject DN)"),
    tlsClientAuthSubjectDn: z
      .string()
      .trim()
      .min(3)
      .max(500, "must be at most 500 characters")
      .optional()
      .describe('tls_client_auth: the subject DN of the TPP\'s transport certificate, e.g. "CN=tpp.example,O=TPP Ltd,C=GB"'),
    softwareId: z.string().trim().min(1).max(100).optional().describe("The TPP software's id in its directory"),
    orgId: z.string().trim().min(1).max(100).optional(),
    orgName: z.string().trim().min(1).max(200).optional(),
    roles: z.array(z.string().trim().min(1).max(50)).max(10).optional().describe('e.g. ["AISP","PISP"]'),
    redirectUris: z.array(z.string().trim().url("must be an absolute URL").max(2000)).max(20).optional(),
    grantTypes: z.array(z.enum(GRANT_TYPES)).min(1).max(5).default(["client_credentials"]),
    scope: z
      .string()
      .trim()
      .max(2000)
      .regex(/^[\x21\x23-\x5b\x5d-\x7e]*( [\x21\x23-\x5b\x5d-\x7e]+)*$/, "must be space-separated scope tokens (RFC 6749 §3.3)")
      .default("")
      .describe("The scopes the client may ask for"),
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(50) }).optional().describe("private_key_jwt: the client's public keys"),
    jwksUri: z.string().trim().max(2000).optional().describe("private_key_jwt: where the client publishes its keys"),
  })
  .superRefine((v, ctx) => {
    if (v.tokenEndpointAuthMethod === "private_key_jwt" && !v.jwks === !v.jwksUri) {
      ctx.addIssue({ code: "custom", path: ["jwks"], message: "private_key_jwt needs exactly one of jwks or jwksUri" });
    }
    if (v.tokenEndpointAuthMethod !== "private_key_jwt" && (v.jwks || v.jwksUri)) {
      ctx.addIssue({ code: "custom", path: ["jwks"], message: `${v.tokenEndpointAuthMethod} clients have no signing keys here` });
    }
    if (v.tokenEndpointAuthMethod === "tls_client_auth" && !v.tlsClientAuthSubjectDn) {
      ctx.addIssue({ code: "custom", path: ["tlsClientAuthSubjectDn"], message: "is required with tls_client_auth" });
    }
    if (v.tokenEndpointAuthMethod !== "tls_client_auth" && v.tlsClientAuthSubjectDn) {
      ctx.addIssue({ code: "custom", path: ["tlsClientAuthSubjectDn"], message: "applies to tls_client_auth only" });
    }
  })
  .meta({ id: "CreateClient" });

export const clientSchema = z
  .object({
    clientId: z.string(),
    name: z.string(),
    status: z.enum(["active", "suspended"]),
    tokenEndpointAuthMethod: z.enum([...AUTH_METHODS, "tls_client_auth"]),
    grantTypes: z.array(z.string()),
    responseTypes: z.array(z.string()),
    redirectUris: z.array(z.string()),
    scope: z.string(),
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).nullable(),
    jwksUri: z.string().nullable(),
    softwareId: z.string().nullable(),
    orgId: z.string().nullable(),
    orgName: z.string().nullable(),
    roles: z.array(z.string()),
    tokenEndpointAuthSigningAlg: z.string().nullable(),
    idTokenSignedResponseAlg: z.string().nullable(),
    requestObjectSigningAlg: z.string().nullable(),
    tlsClientAuthSubjectDn: z.string().nullable(),
    registeredVia: z.enum(["console", "dcr"]),
    softwareStatement: z.string().nullable().describe("The SSA as registered (a signed JWT; public)"),
    softwareStatementClaims: z.record(z.string(), z.unknown()).nullable().describe("The SSA's claims, decoded"),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: "Client" });
export type ClientView = z.infer<typeof clientSchema>;

export const createdClientSchema = clientSchema
  .extend({ clientSecret: z.string().optional().describe("client_secret_basic only: shown once, stored as a hash") })
  .meta({ id: "CreatedClient" });

export const REGISTRATION_SOURCES = ["console", "dcr"] as const;

export const listClientsQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe(
      "Search in client_id, name, software_id and organisation. A page searches at most 2,000 clients: it may hold fewer matches than `limit` (even none) and still have a nextCursor that continues the search",
    ),
  status: z.enum(["active", "suspended"]).optional(),
  authMethod: z.enum([...AUTH_METHODS, "tls_client_auth"]).optional(),
  registeredVia: z.enum(REGISTRATION_SOURCES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const updateClientSchema = z
  .object({
    name: z.string().trim().min(1, "is required").max(200).optional(),
    scope: createClientSchema.shape.scope.optional(),
    status: z.enum(["active", "suspended"]).optional().describe("suspended: the token endpoint refuses the client until it is active again"),
  })
  .strict()
  .meta({ id: "UpdateClient" });

export const addClientKeySchema = z
  .union([
    z.object({ certificatePem: z.string().min(1, "is required").max(100_000).describe("The TPP's signing certificate (PEM): its key is added with kid, x5c, x5t and x5t#S256") }).strict(),
    z.object({ jwk: z.record(z.string(), z.unknown()).describe("A public JWK") }).strict(),
  ])
  .meta({ id: "AddClientKey" });

export const clientKeySchema = z
  .object({
    kid: z.string().nullable(),
    kty: z.string(),
    alg: z.string().nullable(),
    use: z.string().nullable(),
    bits: z.number().nullable().describe("RSA modulus size"),
    crv: z.string().nullable(),
    x5t: z.string().nullable(),
    x5tS256: z.string().nullable(),
    certificateSubject: z.string().nullable(),
    certificateNotAfter: z.string().nullable(),
    expiry: z.enum(["ok", "soon", "expired", "none"]),
  })
  .meta({ id: "ClientKey" });
export type ClientKeyView = z.infer<typeof clientKeySchema>;
