import { z } from "zod";
import { grantResponseProblem, KNOWN_GRANT_TYPES, KNOWN_RESPONSE_TYPES, redirectUriProblem } from "@/lib/clients/client-metadata";
import { PUBLIC_KEY_JWS_ALGS } from "@/lib/jwks-fetch/jws-algorithms";

export const AUTH_METHODS = ["client_secret_basic", "private_key_jwt"] as const;

const signingAlg = (what: string) =>
  z.enum(PUBLIC_KEY_JWS_ALGS, { error: `must be one of ${PUBLIC_KEY_JWS_ALGS.join(", ")}` }).describe(`${what}; must also be one the tenant's profile allows`);

/** Metadata an admin sets on a client, at creation and later (the same rules as Dynamic Client Registration). */
const metadataShape = {
  softwareId: z.string().trim().min(1).max(100).describe("The TPP software's id in its directory"),
  orgId: z.string().trim().min(1).max(100),
  orgName: z.string().trim().min(1).max(200),
  roles: z.array(z.string().trim().min(1).max(50)).max(10).describe('e.g. ["AISP","PISP"]'),
  redirectUris: z
    .array(
      z
        .string()
        .trim()
        .max(2000, "must be at most 2000 characters")
        .url("must be an absolute URL")
        .refine((u) => !u.includes("#"), "must not have a fragment (RFC 6749 §3.1.2)"),
    )
    .max(20),
  grantTypes: z.array(z.enum(KNOWN_GRANT_TYPES)).min(1, "needs at least one grant type").max(KNOWN_GRANT_TYPES.length),
  responseTypes: z.array(z.enum(KNOWN_RESPONSE_TYPES)).max(KNOWN_RESPONSE_TYPES.length).describe("OpenID Connect response types; empty for clients that never redirect a user"),
  tokenEndpointAuthSigningAlg: signingAlg("private_key_jwt: the only algorithm the token endpoint accepts on this client's assertions"),
  idTokenSignedResponseAlg: signingAlg("The algorithm of ID tokens issued to this client"),
  requestObjectSigningAlg: signingAlg("The algorithm of this client's request objects"),
};

type MetadataInput = {
  grantTypes?: readonly string[];
  responseTypes?: readonly string[];
  redirectUris?: readonly string[];
  tokenEndpointAuthMethod?: string;
  tokenEndpointAuthSigningAlg?: string | null;
};

/** Cross-field rules of client metadata, as schema issues on the field at fault. */
export function metadataIssues(v: Required<Pick<MetadataInput, "grantTypes" | "responseTypes" | "redirectUris">> & MetadataInput): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const grantProblem = grantResponseProblem(v.grantTypes, v.responseTypes);
  if (grantProblem) issues.push({ path: grantProblem.startsWith("response_types") ? "responseTypes" : "grantTypes", message: grantProblem });
  const redirectProblem = redirectUriProblem(v.grantTypes, v.redirectUris);
  if (redirectProblem) issues.push({ path: "redirectUris", message: redirectProblem });
  if (v.tokenEndpointAuthSigningAlg && v.tokenEndpointAuthMethod && v.tokenEndpointAuthMethod !== "private_key_jwt") {
    issues.push({ path: "tokenEndpointAuthSigningAlg", message: `applies to private_key_jwt clients only, not ${v.tokenEndpointAuthMethod}` });
  }
  return issues;
}

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
    softwareId: metadataShape.softwareId.optional(),
    orgId: metadataShape.orgId.optional(),
    orgName: metadataShape.orgName.optional(),
    roles: metadataShape.roles.optional(),
    redirectUris: metadataShape.redirectUris.default([]),
    grantTypes: metadataShape.grantTypes.default(["client_credentials"]),
    responseTypes: metadataShape.responseTypes.default([]),
    tokenEndpointAuthSigningAlg: metadataShape.tokenEndpointAuthSigningAlg.optional(),
    idTokenSignedResponseAlg: metadataShape.idTokenSignedResponseAlg.optional(),
    requestObjectSigningAlg: metadataShape.requestObjectSigningAlg.optional(),
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
    for (const issue of metadataIssues(v)) ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
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
    version: z.number().int().describe("Bumped by every edit; the ETag is \"v{version}\" (send it back in If-Match)"),
  })
  .meta({ id: "Client" });
export type ClientView = z.infer<typeof clientSchema>;

/** A client in a list: everything but its keys and software statement (GET the client for those). */
export const clientSummarySchema = clientSchema
  .omit({ jwks: true, softwareStatement: true, softwareStatementClaims: true })
  .meta({ id: "ClientSummary" });
export type ClientSummary = z.infer<typeof clientSummarySchema>;

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
    softwareId: metadataShape.softwareId.nullable().optional().describe("null clears it"),
    orgId: metadataShape.orgId.nullable().optional(),
    orgName: metadataShape.orgName.nullable().optional(),
    roles: metadataShape.roles.optional(),
    redirectUris: metadataShape.redirectUris.optional(),
    grantTypes: metadataShape.grantTypes.optional(),
    responseTypes: metadataShape.responseTypes.optional(),
    tokenEndpointAuthSigningAlg: metadataShape.tokenEndpointAuthSigningAlg.nullable().optional(),
    idTokenSignedResponseAlg: metadataShape.idTokenSignedResponseAlg.nullable().optional(),
    requestObjectSigningAlg: metadataShape.requestObjectSigningAlg.nullable().optional(),
    tlsClientAuthSubjectDn: createClientSchema.shape.tlsClientAuthSubjectDn.unwrap().optional().describe("tls_client_auth clients: the new subject DN"),
    jwksUri: createClientSchema.shape.jwksUri.unwrap().optional().describe("private_key_jwt clients that publish their keys: the new jwks_uri"),
  })
  .strict()
  .describe(
    "Fields left out keep their value. A client registered through Dynamic Client Registration keeps the metadata its TPP registered (RFC 7592): only name, scope and status change here.",
  )
  .meta({ id: "UpdateClient" });

/** The fields of an update that are the client's registered metadata (not the bank's own name, scope and status). */
export const REGISTERED_METADATA_FIELDS = [
  "softwareId",
  "orgId",
  "orgName",
  "roles",
  "redirectUris",
  "grantTypes",
  "responseTypes",
  "tokenEndpointAuthSigningAlg",
  "idTokenSignedResponseAlg",
  "requestObjectSigningAlg",
  "tlsClientAuthSubjectDn",
  "jwksUri",
] as const;

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
