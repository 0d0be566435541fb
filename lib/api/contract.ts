import { z } from "zod";
import type { Role } from "@/lib/auth/roles";
import { pageQuerySchema } from "@/lib/pagination";
import { auditEventSchema, auditQuerySchema } from "@/lib/audit/schemas";
import {
  apiTokenSchema,
  createdTokenSchema,
  createdUserSchema,
  createTokenSchema,
  createUserSchema,
  updateUserSchema,
  userSchema,
} from "@/lib/auth/schemas";
import { createTenantSchema, tenantSchema, updateTenantSchema } from "@/lib/tenants/schemas";
import { createIdpSchema, idpSchema, updateIdpSchema } from "@/lib/idps/schemas";
import { testJwksUriSchema, verifyJwtSchema } from "@/lib/idps/idp-keys";
import { addClientKeySchema, clientKeySchema, clientSchema, clientSummarySchema, createClientSchema, createdClientSchema, listClientsQuerySchema, updateClientSchema } from "@/lib/clients/schemas";
import { configImportResultSchema, tenantConfigImportSchema, tenantConfigSchema } from "@/lib/tenants/config-schema";
import {
  activateKeySchema,
  addKeySchema,
  attachCertificateSchema,
  csrRequestSchema,
  keyPreviewSchema,
  listKeysQuerySchema,
  revokeKeySchema,
  signingKeySchema,
} from "@/lib/keys/schemas";
import { rotationPolicyInputSchema, rotationPolicySchema } from "@/lib/rotation/policy";
import { rotateInputSchema, rotationResultSchema } from "@/lib/rotation/rotate";
import { rotationStatusSchema } from "@/lib/rotation/status";
import { createDirectorySchema, directorySchema, issuedSsaSchema, issueSsaSchema } from "@/lib/directories/schemas";
import { dcrTestInputSchema, dcrTestResultSchema } from "@/lib/dcr/tester";

/**
 * The admin REST API's contract: every /api/v1 route, its role, its input and its
 * answer. Route handlers are built from these entries (lib/api/handler.ts) and the
 * OpenAPI document is generated from them, so the document cannot drift from the
 * code; an integration test checks that every route file has an entry and back.
 */
export interface RouteSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  summary: string;
  tag: string;
  /** Least role allowed; "none" for public routes. */
  role: Role | "none";
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Success status and schema (null: no body). */
  success: { status: number; schema: z.ZodType | null; contentType?: string };
  /**
   * The object has a version (lib/concurrency/versions.ts): GET and the change
   * answer it as a strong ETag; a change takes If-Match and answers 412 when
   * the object changed since that ETag was read.
   */
  versioned?: true;
  /**
   * The service checks the body itself, so that every problem is reported at
   * once (a schema failure would stop at the first section); the handler only
   * reads the JSON. `body` still documents it.
   */
  bodyCheckedByService?: true;
}

const slug = z.object({ tenant: z.string().describe("Tenant slug") });
const idParam = z.object({ id: z.string() });
const idpParams = z.object({ tenant: z.string().describe("Tenant slug"), id: z.string().describe("Identity provider id") });
const clientParams = z.object({ tenant: z.string().describe("Tenant slug"), clientId: z.string().describe("The client_id") });
const directoryParams = z.object({ tenant: z.string().describe("Tenant slug"), id: z.string().describe("Directory id") });
const keyParams = z.object({ tenant: z.string().describe("Tenant slug"), kid: z.string().describe("Key id") });
const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const healthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    version: z.string(),
    database: z.object({ provider: z.enum(["sqlite", "postgresql"]), reachable: z.boolean(), latencyMs: z.number().optional() }),
    scheduler: z
      .object({ running: z.boolean(), leader: z.boolean(), lastTickAt: z.string().nullable(), lastError: z.string().nullable() })
      .describe("This process's rotation scheduler (off when KEYWARD_SCHEDULER=off: cron runs rotate-tick)"),
    time: z.string(),
  })
  .meta({ id: "Health" });

export const meSchema = z
  .object({
    type: z.enum(["user", "token", "cli", "system", "client"]),
    id: z.string().nullable(),
    label: z.string(),
    role: z.string(),
    tenants: z.array(z.string()).nullable().describe("null: every tenant; otherwise the only tenants these credentials act in"),
  })
  .meta({ id: "Me" });

export const contract = {
  health: {
    method: "GET", path: "/api/v1/health", tag: "meta", role: "none",
    summary: "Liveness and database reachability (no authentication)",
    success: { status: 200, schema: healthSchema },
  },
  live: {
    method: "GET", path: "/api/v1/health/live", tag: "meta", role: "none",
    summary: "Liveness: the process answers (for orchestrators; no dependency is checked)",
    success: { status: 200, schema: z.object({ status: z.literal("ok") }) },
  },
  ready: {
    method: "GET", path: "/api/v1/health/ready", tag: "meta", role: "none",
    summary: "Readiness: the database answers and the rotation scheduler ticks; 503 with the problems otherwise",
    success: { status: 200, schema: z.object({ ready: z.boolean(), problems: z.array(z.string()) }) },
  },
  openapi: {
    method: "GET", path: "/api/v1/openapi.json", tag: "meta", role: "none",
    summary: "This OpenAPI 3.1 document",
    success: { status: 200, schema: z.object({}).passthrough() },
  },
  me: {
    method: "GET", path: "/api/v1/me", tag: "meta", role: "viewer",
    summary: "Who the credentials belong to",
    success: { status: 200, schema: meSchema },
  },
  listTenants: {
    method: "GET", path: "/api/v1/tenants", tag: "tenants", role: "viewer",
    summary: "List tenants",
    success: { status: 200, schema: list(tenantSchema) },
  },
  createTenant: {
    method: "POST", path: "/api/v1/tenants", tag: "tenants", role: "admin",
    summary: "Create a tenant", body: createTenantSchema,
    success: { status: 201, schema: tenantSchema },
  },
  getTenant: {
    method: "GET", path: "/api/v1/tenants/{tenant}", tag: "tenants", role: "viewer",
    summary: "Get a tenant", params: slug,
    versioned: true,
    success: { status: 200, schema: tenantSchema },
  },
  updateTenant: {
    method: "PATCH", path: "/api/v1/tenants/{tenant}", tag: "tenants", role: "admin",
    summary: "Change a tenant's name or profile", params: slug, body: updateTenantSchema,
    versioned: true,
    success: { status: 200, schema: tenantSchema },
  },
  exportConfig: {
    method: "GET", path: "/api/v1/tenants/{tenant}/config", tag: "tenants", role: "viewer",
    summary: "The tenant's whole configuration, public parts only", params: slug,
    success: { status: 200, schema: tenantConfigSchema },
  },
  importConfig: {
    method: "PUT", path: "/api/v1/tenants/{tenant}/config", tag: "tenants", role: "operator",
    summary: "Import a configuration: validated as a whole (every problem reported), applied atomically; ?dryRun=true answers the changes only",
    params: slug,
    query: z.object({ dryRun: z.enum(["true", "false"]).optional().describe("Answer the changes without applying them") }),
    body: tenantConfigImportSchema,
    bodyCheckedByService: true,
    success: { status: 200, schema: configImportResultSchema },
  },
  listKeys: {
    method: "GET", path: "/api/v1/tenants/{tenant}/keys", tag: "keys", role: "viewer",
    summary: "List a tenant's signing keys, active first", params: slug, query: listKeysQuerySchema,
    success: { status: 200, schema: list(signingKeySchema) },
  },
  addKey: {
    method: "POST", path: "/api/v1/tenants/{tenant}/keys", tag: "keys", role: "operator",
    summary: "Add a signing key (generate, PEM or private JWK); it starts staged", params: slug, body: addKeySchema,
    success: { status: 201, schema: signingKeySchema },
  },
  previewKey: {
    method: "POST", path: "/api/v1/tenants/{tenant}/key-preview", tag: "keys", role: "operator",
    summary: "What adding this key would store (kid, alg, certificate, warnings), storing nothing", params: slug, body: addKeySchema,
    success: { status: 200, schema: keyPreviewSchema },
  },
  getKey: {
    method: "GET", path: "/api/v1/tenants/{tenant}/keys/{kid}", tag: "keys", role: "viewer",
    summary: "A signing key: public JWK, certificate details, timestamps", params: keyParams,
    success: { status: 200, schema: signingKeySchema },
  },
  removeKey: {
    method: "DELETE", path: "/api/v1/tenants/{tenant}/keys/{kid}", tag: "keys", role: "operator",
    summary: "Remove a staged or retired key: it leaves the JWKS and its private part is destroyed (the record stays)", params: keyParams,
    success: { status: 200, schema: signingKeySchema },
  },
  keyPublicPem: {
    method: "GET", path: "/api/v1/tenants/{tenant}/keys/{kid}/public.pem", tag: "keys", role: "viewer",
    summary: "The key's public key (SPKI PEM)", params: keyParams,
    success: { status: 200, schema: z.string(), contentType: "application/x-pem-file" },
  },
  keyCsr: {
    method: "POST", path: "/api/v1/tenants/{tenant}/keys/{kid}/csr", tag: "keys", role: "operator",
    summary: "A PKCS#10 certificate signing request for the key, for the directory", params: keyParams, body: csrRequestSchema,
    success: { status: 200, schema: z.object({ csrPem: z.string() }).meta({ id: "Csr" }) },
  },
  attachCertificate: {
    method: "POST", path: "/api/v1/tenants/{tenant}/keys/{kid}/certificate", tag: "keys", role: "operator",
    summary: "Attach the certificate issued for the key (it must match the key)", params: keyParams, body: attachCertificateSchema,
    success: { status: 200, schema: signingKeySchema },
  },
  activateKey: {
    method: "POST", path: "/api/v1/tenants/{tenant}/keys/{kid}/activate", tag: "keys", role: "operator",
    summary: "Make the key the signing key; the key that signed before is retired (stays published)", params: keyParams, body: activateKeySchema,
    success: { status: 200, schema: signingKeySchema },
  },
  retireKey: {
    method: "POST", path: "/api/v1/tenants/{tenant}/keys/{kid}/retire", tag: "keys", role: "operator",
    summary: "Retire a staged key: published, never signing", params: keyParams,
    success: { status: 200, schema: signingKeySchema },
  },
  revokeKey: {
    method: "POST", path: "/api/v1/tenants/{tenant}/keys/{kid}/revoke", tag: "keys", role: "operator",
    summary: "Revoke a compromised key: out of the JWKS at once, private part destroyed; the active key needs a replacement (replacementKid or generateReplacement)",
    params: keyParams, body: revokeKeySchema,
    success: { status: 200, schema: signingKeySchema.extend({ replacedBy: z.string().nullable().describe("The key that signs instead, when the active key was revoked") }) },
  },
  rotate: {
    method: "POST", path: "/api/v1/tenants/{tenant}/rotate", tag: "rotation", role: "operator",
    summary: "Rotate now: stage the next key (generated, or a staged key by kid), published at once and signing after the propagation time",
    params: slug, body: rotateInputSchema,
    success: { status: 202, schema: rotationResultSchema },
  },
  getRotation: {
    method: "GET", path: "/api/v1/tenants/{tenant}/rotation", tag: "rotation", role: "viewer",
    summary: "The rotation picture: active key per scope, planned events, warnings, the timeline, and what rotating now would do",
    params: slug,
    success: { status: 200, schema: rotationStatusSchema },
  },
  listDirectories: {
    method: "GET", path: "/api/v1/tenants/{tenant}/directories", tag: "directories", role: "viewer",
    summary: "The directories whose software statements (SSAs) this tenant trusts, with their key fetch health", params: slug,
    success: { status: 200, schema: list(directorySchema) },
  },
  createDirectory: {
    method: "POST", path: "/api/v1/tenants/{tenant}/directories", tag: "directories", role: "operator",
    summary: "Trust a directory (SSA issuer, environment, JWKS URL or inline JWKS), or create the tenant's sandbox directory", params: slug, body: createDirectorySchema,
    success: { status: 201, schema: directorySchema },
  },
  getDirectory: {
    method: "GET", path: "/api/v1/tenants/{tenant}/directories/{id}", tag: "directories", role: "viewer",
    summary: "A directory", params: directoryParams,
    success: { status: 200, schema: directorySchema },
  },
  deleteDirectory: {
    method: "DELETE", path: "/api/v1/tenants/{tenant}/directories/{id}", tag: "directories", role: "operator",
    summary: "Stop trusting a directory (registered clients stay)", params: directoryParams,
    success: { status: 204, schema: null },
  },
  refreshDirectory: {
    method: "POST", path: "/api/v1/tenants/{tenant}/directories/{id}/refresh", tag: "directories", role: "operator",
    summary: "Fetch the directory's keys now; 502 naming the fault when its JWKS URL fails", params: directoryParams,
    success: { status: 200, schema: z.object({ keys: z.array(z.record(z.string(), z.unknown())), fetchedAt: z.string().nullable() }) },
  },
  issueSandboxSsa: {
    method: "POST", path: "/api/v1/tenants/{tenant}/directories/{id}/ssa", tag: "directories", role: "operator",
    summary: "Issue a test software statement from the tenant's sandbox directory", params: directoryParams, body: issueSsaSchema,
    success: { status: 201, schema: issuedSsaSchema },
  },
  testRegistration: {
    method: "POST", path: "/api/v1/tenants/{tenant}/dcr-test", tag: "directories", role: "operator",
    summary: "Check a registration request JWT against every DCR rule, registering nothing", params: slug, body: dcrTestInputSchema,
    success: { status: 200, schema: dcrTestResultSchema },
  },
  getRotationPolicy: {
    method: "GET", path: "/api/v1/tenants/{tenant}/rotation-policy", tag: "rotation", role: "viewer",
    summary: "The tenant's rotation policy, with warnings about it", params: slug,
    versioned: true,
    success: { status: 200, schema: rotationPolicySchema },
  },
  updateRotationPolicy: {
    method: "PUT", path: "/api/v1/tenants/{tenant}/rotation-policy", tag: "rotation", role: "admin",
    summary: "Change the rotation policy (fields left out keep their value)", params: slug, body: rotationPolicyInputSchema,
    versioned: true,
    success: { status: 200, schema: rotationPolicySchema },
  },
  listIdps: {
    method: "GET", path: "/api/v1/tenants/{tenant}/identity-providers", tag: "identity-providers", role: "viewer",
    summary: "List the tenant's identity providers", params: slug,
    success: { status: 200, schema: list(idpSchema) },
  },
  createIdp: {
    method: "POST", path: "/api/v1/tenants/{tenant}/identity-providers", tag: "identity-providers", role: "operator",
    summary: "Register an identity provider: issuer, audience, and jwksUri, inline JWKS or PEM certificates", params: slug, body: createIdpSchema,
    success: { status: 201, schema: idpSchema },
  },
  getIdp: {
    method: "GET", path: "/api/v1/tenants/{tenant}/identity-providers/{id}", tag: "identity-providers", role: "viewer",
    summary: "An identity provider", params: idpParams,
    versioned: true,
    success: { status: 200, schema: idpSchema },
  },
  updateIdp: {
    method: "PATCH", path: "/api/v1/tenants/{tenant}/identity-providers/{id}", tag: "identity-providers", role: "operator",
    summary: "Change an identity provider", params: idpParams, body: updateIdpSchema,
    versioned: true,
    success: { status: 200, schema: idpSchema },
  },
  deleteIdp: {
    method: "DELETE", path: "/api/v1/tenants/{tenant}/identity-providers/{id}", tag: "identity-providers", role: "operator",
    summary: "Remove an identity provider; its assertions are refused at once", params: idpParams,
    success: { status: 204, schema: null },
  },
  testJwksUri: {
    method: "POST", path: "/api/v1/tenants/{tenant}/identity-providers/test-jwks-uri", tag: "identity-providers", role: "operator",
    summary: "Fetch a jwks_uri now, before registering it: the keys found, or why not (400 refused address, 502 upstream fault)", params: slug,
    body: testJwksUriSchema,
    success: { status: 200, schema: z.unknown().meta({ id: "JwksTestResult" }) },
  },
  refreshIdp: {
    method: "POST", path: "/api/v1/tenants/{tenant}/identity-providers/{id}/refresh", tag: "identity-providers", role: "operator",
    summary: "Fetch the IdP's keys now; 502 names the upstream fault (the keys held before keep serving)", params: idpParams,
    success: {
      status: 200,
      schema: z
        .object({
          keys: z.array(z.object({ kid: z.string().nullable(), kty: z.string(), alg: z.string().nullable(), certificateExpiry: z.string().nullable() })),
          fetchedAt: z.string().nullable(),
          warnings: z.array(z.string()),
          health: z.unknown().nullable(),
        })
        .meta({ id: "IdpKeys" }),
    },
  },
  verifyIdpJwt: {
    method: "POST", path: "/api/v1/tenants/{tenant}/identity-providers/{id}/verify", tag: "identity-providers", role: "viewer",
    summary: "The JWT tester: every check of an assertion (signature, kid, iss, aud, exp, nbf, iat, alg) against this IdP", params: idpParams,
    body: verifyJwtSchema,
    success: {
      status: 200,
      schema: z
        .object({
          valid: z.boolean(),
          kid: z.string().nullable(),
          header: z.record(z.string(), z.unknown()).nullable(),
          claims: z.record(z.string(), z.unknown()).nullable(),
          checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
          errors: z.array(z.string()),
        })
        .meta({ id: "JwtVerification" }),
    },
  },
  listClients: {
    method: "GET", path: "/api/v1/tenants/{tenant}/clients", tag: "clients", role: "viewer",
    summary: "List the tenant's TPP clients, newest first: search, filters, cursor pagination. Items are summaries: a client's keys and software statement are in GET …/clients/{clientId}", params: slug, query: listClientsQuerySchema,
    success: { status: 200, schema: list(clientSummarySchema) },
  },
  getClient: {
    method: "GET", path: "/api/v1/tenants/{tenant}/clients/{clientId}", tag: "clients", role: "viewer",
    summary: "A client: its metadata, keys and software statement (raw and decoded)", params: clientParams,
    versioned: true,
    success: { status: 200, schema: clientSchema },
  },
  updateClient: {
    method: "PATCH", path: "/api/v1/tenants/{tenant}/clients/{clientId}", tag: "clients", role: "operator",
    summary: "Change a client: name, scope, status (suspend/reactivate), and for a client made here its metadata (checked like at creation)", params: clientParams, body: updateClientSchema,
    versioned: true,
    success: { status: 200, schema: clientSchema },
  },
  deleteClient: {
    method: "DELETE", path: "/api/v1/tenants/{tenant}/clients/{clientId}", tag: "clients", role: "operator",
    summary: "Delete a client", params: clientParams,
    success: { status: 204, schema: null },
  },
  addClientKey: {
    method: "POST", path: "/api/v1/tenants/{tenant}/clients/{clientId}/keys", tag: "clients", role: "operator",
    summary: "Add a signing key to the client's JWKS: the TPP's PEM certificate, or a public JWK", params: clientParams, body: addClientKeySchema,
    success: { status: 201, schema: clientKeySchema },
  },
  refreshClientKeys: {
    method: "POST", path: "/api/v1/tenants/{tenant}/clients/{clientId}/refresh", tag: "clients", role: "operator",
    summary: "Fetch the client's jwks_uri now; 502 names the upstream fault (the keys held before keep verifying)", params: clientParams,
    success: {
      status: 200,
      schema: z
        .object({ keys: z.array(clientKeySchema), fetchedAt: z.string(), warnings: z.array(z.string()), health: z.unknown().nullable() })
        .meta({ id: "ClientFetchedKeys" }),
    },
  },
  removeClientKey: {
    method: "DELETE", path: "/api/v1/tenants/{tenant}/clients/{clientId}/keys/{kid}", tag: "clients", role: "operator",
    summary: "Remove a key from the client's JWKS (not its last one)", params: clientParams.extend({ kid: z.string().describe("Key id") }),
    success: { status: 204, schema: null },
  },
  createClient: {
    method: "POST", path: "/api/v1/tenants/{tenant}/clients", tag: "clients", role: "operator",
    summary: "Create a TPP client (client_secret_basic: the secret is in this answer only)", params: slug, body: createClientSchema,
    success: { status: 201, schema: createdClientSchema },
  },
  listUsers: {
    method: "GET", path: "/api/v1/users", tag: "users", role: "admin",
    summary: "List console users",
    success: { status: 200, schema: list(userSchema) },
  },
  createUser: {
    method: "POST", path: "/api/v1/users", tag: "users", role: "admin",
    summary: "Create a user (with a password) or invite one (without: a one-time link is returned)", body: createUserSchema,
    success: { status: 201, schema: createdUserSchema },
  },
  getUser: {
    method: "GET", path: "/api/v1/users/{id}", tag: "users", role: "admin",
    summary: "Get a user", params: idParam,
    versioned: true,
    success: { status: 200, schema: userSchema },
  },
  updateUser: {
    method: "PATCH", path: "/api/v1/users/{id}", tag: "users", role: "admin",
    summary: "Change a user's name or role, disable or re-enable (never the last admin)", params: idParam, body: updateUserSchema,
    versioned: true,
    success: { status: 200, schema: userSchema },
  },
  createResetLink: {
    method: "POST", path: "/api/v1/users/{id}/reset-link", tag: "users", role: "admin",
    summary: "Issue a one-time link for the user to set a new password", params: idParam,
    success: { status: 200, schema: z.object({ inviteUrl: z.string(), expiresAt: z.string() }) },
  },
  listTokens: {
    method: "GET", path: "/api/v1/tokens", tag: "tokens", role: "admin",
    summary: "List API tokens (never the tokens themselves)",
    success: { status: 200, schema: list(apiTokenSchema) },
  },
  createToken: {
    method: "POST", path: "/api/v1/tokens", tag: "tokens", role: "admin",
    summary: "Create an API token; the token is in this answer only", body: createTokenSchema,
    success: { status: 201, schema: createdTokenSchema },
  },
  revokeToken: {
    method: "DELETE", path: "/api/v1/tokens/{id}", tag: "tokens", role: "admin",
    summary: "Revoke an API token; it stops working at once", params: idParam,
    success: { status: 204, schema: null },
  },
  listAudit: {
    method: "GET", path: "/api/v1/audit", tag: "audit", role: "viewer",
    summary: "Audit events, newest first, with filters and cursor pagination", query: auditQuerySchema,
    success: { status: 200, schema: list(auditEventSchema) },
  },
  exportAudit: {
    method: "GET", path: "/api/v1/audit/export.csv", tag: "audit", role: "viewer",
    summary: "Audit events matching the filters as CSV", query: auditQuerySchema.omit({ cursor: true, limit: true }),
    success: { status: 200, schema: z.string(), contentType: "text/csv" },
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof contract;
export { pageQuerySchema };
