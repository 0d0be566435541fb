import { shown } from "@/lib/shown";
import { compactVerify, createLocalJWKSet, type JWSHeaderParameters } from "jose";
import { decodeCompactJws, JwsFormatError, untrustedHeaderProblem } from "@/lib/crypto/decode-jws";
import { remoteJwksCache } from "@/lib/idps/jwks-cache";
import { directoriesFor, directoryKeys, type DirectoryRow } from "@/lib/directories/directories";
import { jtiSeen } from "@/lib/protocol/replay-cache";
import { dcrRulesOf, type DcrRules } from "@/lib/tenants/profiles";
import { grantResponseProblem, SIGNING_ALG_FIELDS, signingAlgProblems } from "@/lib/clients/client-metadata";
import { checkOutboundUrl, OutboundRefused } from "@/lib/jwks-fetch/outbound-policy";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { inlineJwks } from "@/lib/idps/key-sources";

/**
 * The checks of an Open Banking style registration request (RFC 7591 with a
 * software statement): a JWT signed by the TPP with a key of its software,
 * carrying client metadata and the directory-signed SSA. Each rule is
 * checked on its own and named, so the DCR endpoint answers the first
 * failure precisely and the console's tester shows them all.
 */

export type DcrErrorCode = "invalid_software_statement" | "unapproved_software_statement" | "invalid_redirect_uri" | "invalid_client_metadata";

export interface DcrCheck {
  rule: string;
  ok: boolean;
  detail: string;
  /** The RFC 7591 error this rule answers when it fails. */
  error: DcrErrorCode;
}

export interface RegistrationMetadata {
  name: string;
  softwareId: string;
  orgId: string | null;
  orgName: string | null;
  roles: string[];
  redirectUris: string[];
  grantTypes: string[];
  responseTypes: string[];
  tokenEndpointAuthMethod: string;
  tokenEndpointAuthSigningAlg: string | null;
  idTokenSignedResponseAlg: string | null;
  requestObjectSigningAlg: string | null;
  tlsClientAuthSubjectDn: string | null;
  applicationType: string | null;
  scope: string;
  jwksUri: string | null;
  jwks: { keys: Record<string, unknown>[] } | null;
  softwareStatement: string;
  ssaClaims: Record<string, unknown>;
  directoryId: string;
}

export interface DcrValidation {
  checks: DcrCheck[];
  /** The first failed check, as the endpoint answers it. */
  failure: DcrCheck | null;
  metadata: RegistrationMetadata | null;
  /** For the replay record: the request's jti and exp. */
  jti: string | null;
  exp: number | null;
}

const SKEW_SECONDS = 60;
/** Length limits of what a registration stores: the same as a client made in the console. */
const MAX = { id: 100, name: 200, uri: 2000, uris: 20, dn: 500, scope: 2000, roles: 10, role: 50, keys: 50 } as const;
const APPLICATION_TYPES = ["web", "native"];

class Checks {
  readonly list: DcrCheck[] = [];
  pass(rule: string, detail: string, error: DcrErrorCode): true {
    this.list.push({ rule, ok: true, detail, error });
    return true;
  }
  fail(rule: string, detail: string, error: DcrErrorCode): false {
    this.list.push({ rule, ok: false, detail, error });
    return false;
  }
  check(rule: string, ok: boolean, good: string, bad: string, error: DcrErrorCode): boolean {
    return ok ? this.pass(rule, good, error) : this.fail(rule, bad, error);
  }
}

/** The header and claims of a compact JWS, or why it is not one. */
function decode(jwt: string): { header: JWSHeaderParameters; claims: Record<string, unknown> } | { problem: string } {
  try {
    const { header, payload } = decodeCompactJws(jwt);
    return { header: header as JWSHeaderParameters, claims: payload };
  } catch (error) {
    if (error instanceof JwsFormatError) return { problem: error.message };
    throw error;
  }
}
const strings = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : null);
const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

/** A NumericDate as ISO 8601; a number past any representable date is shown as it is rather than thrown on. */
function isoDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds} (not a representable date)` : date.toISOString();
}

/** Why a claim that must be a short string (when present) is not, or null. */
function stringProblem(claim: string, value: unknown, max: number, required = false): string | null {
  if (value === undefined) return required ? `${claim} is missing` : null;
  if (typeof value !== "string" || value.length === 0) return `${claim} must be a non-empty string`;
  if (value.length > max) return `${claim} is ${value.length} characters long; at most ${max} are accepted`;
  return null;
}

/** Why a claim that must be an array of short strings (when present) is not, or null. */
function stringsProblem(claim: string, value: unknown, maxItems: number, maxLength: number): string | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || !value.every((x) => typeof x === "string")) return `${claim} must be an array of strings`;
  if (value.length > maxItems) return `${claim} has ${value.length} entries; at most ${maxItems} are accepted`;
  const long = (value as string[]).find((x) => x.length > maxLength);
  return long === undefined ? null : `${claim} has an entry of ${long.length} characters; at most ${maxLength} are accepted`;
}

/** Why an inline JWK Set claim is not one, or null. */
function jwksShapeProblem(claim: string, value: unknown): string | null {
  const keys = value && typeof value === "object" && !Array.isArray(value) ? (value as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) return `${claim} must be a JWK Set (an object with a "keys" array)`;
  if (keys.length === 0 || keys.length > MAX.keys) return `${claim} must hold 1 to ${MAX.keys} keys; it has ${keys.length}`;
  const bad = keys.findIndex((k) => !k || typeof k !== "object" || Array.isArray(k));
  return bad === -1 ? null : `${claim}.keys[${bad}] is not a JSON object`;
}

function headerProblems(header: JWSHeaderParameters, rules: DcrRules): string | null {
  if (typeof header.alg !== "string" || header.alg === "none") return `alg "${shown(header.alg)}" is not allowed: the JWT must be signed with ${rules.algs.join(" or ")}`;
  if (!rules.algs.includes(header.alg)) return `alg ${header.alg} is not allowed by this tenant's profile (${rules.algs.join(", ")})`;
  return untrustedHeaderProblem(header);
}

/** Why inline keys are refused (a private member, a symmetric key, a malformed key …), whether or not they would be used. */
function inlineJwksProblem(jwks: { keys: Record<string, unknown>[] }): string | null {
  try {
    inlineJwks(jwks, "the client's");
    return null;
  } catch (error) {
    if (isAppError(error)) return error.message;
    throw error;
  }
}

/** Why Keyward may not fetch keys from a jwks_uri (loopback, private, metadata address, bad scheme …), or null. */
function outboundProblem(uri: string): string | null {
  try {
    checkOutboundUrl(uri, { allow: env().outboundAllow });
    return null;
  } catch (error) {
    if (error instanceof OutboundRefused) return error.message;
    throw error;
  }
}

async function verifies(jwt: string, keys: (header: JWSHeaderParameters) => Promise<CryptoKey>, algs: readonly string[]): Promise<string | null> {
  try {
    await compactVerify(jwt, keys as never, { algorithms: [...algs] });
    return null;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_JWKS_NO_MATCHING_KEY") return "no key with its kid (and algorithm) in the signer's JWKS";
    if (code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") return "the signature does not verify";
    return (error as Error).message;
  }
}

/**
 * Validates a registration request JWT for a tenant. With `dryRun`, a jti seen
 * before fails the check but nothing is recorded (the console's tester);
 * the endpoint records the jti itself once every check passed.
 */
export async function validateRegistration(
  tenant: { id: string; profile: string; issuer: string },
  requestJwt: string,
  options: { now?: Date; forClient?: { softwareId: string | null } } = {},
): Promise<DcrValidation> {
  const rules = dcrRulesOf(tenant.profile);
  const nowS = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const c = new Checks();
  const result = (metadata: RegistrationMetadata | null = null, jti: string | null = null, exp: number | null = null): DcrValidation => ({
    checks: c.list,
    failure: c.list.find((x) => !x.ok) ?? null,
    metadata: c.list.every((x) => x.ok) ? metadata : null,
    jti,
    exp,
  });

  // The request itself: a signed JWT with an acceptable header.
  const request = decode(requestJwt.trim());
  if ("problem" in request) {
    c.fail("request.format", `the body is not a signed JWT (JWS compact serialization) with a JSON object payload: ${request.problem}`, "invalid_client_metadata");
    return result();
  }
  c.pass("request.format", "a signed JWT (JWS compact) with a JSON payload", "invalid_client_metadata");
  const jwt = requestJwt.trim();
  const header = request.header;
  const headerProblem = headerProblems(header, rules);
  c.check("request.header", headerProblem === null, `${header.alg}, kid ${header.kid ?? "(none)"}`, headerProblem ?? "", "invalid_client_metadata");
  const req = request.claims;

  // The software statement: signed by a directory this tenant trusts, recent enough.
  const ssa = str(req.software_statement);
  const decodedSsa = ssa ? decode(ssa) : null;
  if (!c.check("software_statement", decodedSsa !== null, "present", req.software_statement === undefined ? "software_statement is missing" : "software_statement must be a signed JWT (a string)", "invalid_software_statement")) return result();
  if ("problem" in decodedSsa!) {
    c.fail("software_statement.format", `the software statement is not a signed JWT with readable header and claims: ${decodedSsa.problem}`, "invalid_software_statement");
    return result();
  }
  c.pass("software_statement.format", "readable header and claims", "invalid_software_statement");
  const ssaHeader = decodedSsa!.header;
  const ssaHeaderProblem = headerProblems(ssaHeader, rules);
  c.check("software_statement.header", ssaHeaderProblem === null, `${ssaHeader.alg}, kid ${ssaHeader.kid ?? "(none)"}`, ssaHeaderProblem ?? "", "invalid_software_statement");
  const s = decodedSsa!.claims;
  const ssaIssuer = str(s.iss);
  const environment = s.software_environment === "production" || s.software_mode === "Live" ? "production" : s.software_environment === "sandbox" || s.software_mode === "Test" ? "sandbox" : null;
  const candidates = ssaIssuer ? (await directoriesFor(tenant.id, ssaIssuer)).filter((d) => environment === null || d.environment === environment) : [];
  let directory: DirectoryRow | null = null;
  if (
    c.check(
      "software_statement.directory",
      candidates.length > 0,
      `issued by "${ssaIssuer}" (${environment ?? "any environment"}), a configured directory`,
      ssaIssuer
        ? `the software statement was issued by "${ssaIssuer}"${environment ? ` for ${environment}` : ""}, which is not a directory this tenant trusts`
        : "the software statement has no iss",
      "unapproved_software_statement",
    )
  ) {
    let lastProblem = "";
    for (const d of candidates) {
      const problem = await verifies(ssa!, directoryKeys(d), rules.algs);
      if (problem === null) {
        directory = d;
        break;
      }
      lastProblem = problem;
    }
    c.check("software_statement.signature", directory !== null, `verified with the keys of directory "${directory?.name}"`, `the software statement's signature was refused: ${lastProblem}`, "invalid_software_statement");
  }
  const ssaIat = typeof s.iat === "number" ? s.iat : null;
  c.check(
    "software_statement.iat",
    ssaIat !== null && ssaIat <= nowS + SKEW_SECONDS && nowS - ssaIat <= rules.ssaMaxAgeSeconds,
    `issued ${ssaIat === null ? "?" : nowS - ssaIat} s ago (at most ${rules.ssaMaxAgeSeconds} s)`,
    ssaIat === null
      ? "the software statement has no iat"
      : ssaIat > nowS + SKEW_SECONDS
        ? `the software statement's iat is in the future (${isoDate(ssaIat)})`
        : `the software statement is ${nowS - ssaIat} s old; this tenant accepts software statements at most ${rules.ssaMaxAgeSeconds} s old`,
    "invalid_software_statement",
  );
  const softwareId = str(s.software_id);
  const softwareRedirects = strings(s.software_redirect_uris);
  const softwareJwksEndpoint = str(s.software_jwks_endpoint);
  const softwareJwks = s.software_jwks && typeof s.software_jwks === "object" ? (s.software_jwks as { keys?: unknown }) : null;
  const ssaShapeProblem =
    stringProblem("software_id", s.software_id, MAX.id) ??
    stringProblem("software_client_name", s.software_client_name, MAX.name) ??
    stringProblem("org_id", s.org_id, MAX.id) ??
    stringProblem("org_name", s.org_name, MAX.name) ??
    stringsProblem("software_roles", s.software_roles, MAX.roles, MAX.role) ??
    stringsProblem("software_redirect_uris", s.software_redirect_uris, MAX.uris, MAX.uri) ??
    stringProblem("software_jwks_endpoint", s.software_jwks_endpoint, MAX.uri) ??
    (s.software_jwks !== undefined ? jwksShapeProblem("software_jwks", s.software_jwks) : null);
  const ssaClaimProblem = !softwareId
    ? "the software statement has no software_id"
    : ssaShapeProblem
      ? `the software statement's ${ssaShapeProblem}`
      : !softwareRedirects
      ? "the software statement has no software_redirect_uris"
      : !softwareJwksEndpoint && !(rules.inlineJwksAllowed && Array.isArray(softwareJwks?.keys))
        ? rules.inlineJwksAllowed
          ? "the software statement names no software_jwks_endpoint (or software_jwks)"
          : "the software statement names no software_jwks_endpoint (inline software_jwks are not accepted by this tenant's profile)"
        : null;
  c.check("software_statement.claims", ssaClaimProblem === null, `software_id ${softwareId}`, ssaClaimProblem ?? "", "invalid_software_statement");

  // The request's signature: a key of the software, as its directory publishes it.
  if (softwareJwksEndpoint || (rules.inlineJwksAllowed && Array.isArray(softwareJwks?.keys))) {
    let problem: string | null;
    try {
      const keys = softwareJwksEndpoint ? remoteJwksCache().resolver(softwareJwksEndpoint) : (createLocalJWKSet(softwareJwks as never) as never);
      problem = await verifies(jwt, keys, rules.algs);
    } catch (error) {
      // createLocalJWKSet refuses a set whose members are not JWKs.
      problem = `the SSA's software_jwks cannot be used: ${(error as Error).message}`;
    }
    c.check(
      "request.signature",
      problem === null,
      `verified with the software's keys (${softwareJwksEndpoint ?? "software_jwks"})`,
      `the registration request's signature was refused: ${problem} (keys of ${softwareJwksEndpoint ?? "the SSA's software_jwks"})`,
      "invalid_client_metadata",
    );
  }

  // Who, for whom, when, once.
  c.check("request.iss", !!softwareId && req.iss === softwareId, `iss is the software_id ${softwareId}`, `iss "${shown(req.iss)}" is not the software statement's software_id "${softwareId}"`, "invalid_client_metadata");
  if (options.forClient) {
    c.check("request.software_id", softwareId === options.forClient.softwareId, "the software this client was registered for", `software_id "${softwareId}" is not the software this client was registered for ("${options.forClient.softwareId}")`, "invalid_client_metadata");
  } else if (req.software_id !== undefined) {
    c.check("request.software_id", req.software_id === softwareId, "matches the software statement", `software_id "${shown(req.software_id)}" differs from the software statement's "${softwareId}"`, "invalid_client_metadata");
  }
  const aud = Array.isArray(req.aud) ? req.aud : [req.aud];
  c.check("request.aud", aud.includes(tenant.issuer), `aud is ${tenant.issuer}`, `aud ${JSON.stringify(req.aud ?? null)} is not this tenant's issuer ${tenant.issuer}`, "invalid_client_metadata");
  const iat = typeof req.iat === "number" ? req.iat : null;
  const exp = typeof req.exp === "number" ? req.exp : null;
  c.check(
    "request.iat",
    iat !== null && iat <= nowS + SKEW_SECONDS,
    "present and in the past",
    iat === null ? "iat is missing" : `iat is in the future (${isoDate(iat)})`,
    "invalid_client_metadata",
  );
  c.check(
    "request.exp",
    exp !== null && exp > nowS - SKEW_SECONDS && (iat === null || exp - iat <= rules.requestMaxLifetimeSeconds),
    `expires at ${exp === null ? "?" : isoDate(exp)}`,
    exp === null
      ? "exp is missing"
      : exp <= nowS - SKEW_SECONDS
        ? `the registration request expired at ${isoDate(exp)}`
        : `the registration request is valid for ${exp - iat!} s; at most ${rules.requestMaxLifetimeSeconds} s are accepted`,
    "invalid_client_metadata",
  );
  const jti = str(req.jti);
  const replayed = jti && softwareId ? await jtiSeen(`dcr:${softwareId}`, jti) : false;
  c.check("request.jti", !!jti && !replayed, "present and not seen before", jti ? `jti "${jti}" was already used by a registration request of this software` : "jti is missing", "invalid_client_metadata");

  // What the client asks for.
  const redirects = strings(req.redirect_uris);
  const outside = redirects && softwareRedirects ? redirects.filter((u) => !softwareRedirects.includes(u)) : [];
  const redirectShape = stringsProblem("redirect_uris", req.redirect_uris, MAX.uris, MAX.uri);
  c.check(
    "redirect_uris",
    redirectShape === null && !!redirects && redirects.length > 0 && outside.length === 0,
    `${redirects?.length ?? 0} URI(s), all in the software statement's software_redirect_uris`,
    redirectShape ?? (!redirects || redirects.length === 0 ? "redirect_uris is missing or empty" : `${outside.join(", ")} ${outside.length === 1 ? "is" : "are"} not among the software statement's software_redirect_uris`),
    "invalid_redirect_uri",
  );
  const method = str(req.token_endpoint_auth_method);
  const methodProblem = !method
    ? req.token_endpoint_auth_method === undefined ? "token_endpoint_auth_method is missing" : "token_endpoint_auth_method must be a string"
    : !(rules.authMethods as readonly string[]).includes(method)
      ? `token_endpoint_auth_method "${method}" is not allowed by this tenant's profile (${rules.authMethods.join(", ")})`
      : method === "tls_client_auth" && !str(req.tls_client_auth_subject_dn)
        ? "tls_client_auth needs tls_client_auth_subject_dn (the subject DN of the TPP's transport certificate)"
        : stringProblem("tls_client_auth_subject_dn", req.tls_client_auth_subject_dn, MAX.dn);
  c.check("token_endpoint_auth_method", methodProblem === null, shown(method), methodProblem ?? "", "invalid_client_metadata");
  const algProblems = signingAlgProblems(
    Object.fromEntries(SIGNING_ALG_FIELDS.map(({ field, claim }) => [field, req[claim]])),
    rules.algs,
    typeof method === "string" ? method : null,
    true,
  );
  c.check("algorithms", algProblems.length === 0, "every requested algorithm is allowed", algProblems.join("; "), "invalid_client_metadata");
  // Absent means the RFC 7591 default; present but not a list of strings is refused, not defaulted.
  const grants = strings(req.grant_types) ?? ["authorization_code"];
  const responses = strings(req.response_types) ?? (grants.includes("authorization_code") ? ["code"] : []);
  const grantProblem =
    stringsProblem("grant_types", req.grant_types, 10, 100) ?? stringsProblem("response_types", req.response_types, 10, 100) ?? grantResponseProblem(grants, responses);
  c.check("grant_types", grantProblem === null, `grants ${grants.join(", ")}; responses ${responses.join(", ") || "(none)"}`, grantProblem ?? "", "invalid_client_metadata");
  const jwksProblem =
    req.jwks !== undefined && !rules.inlineJwksAllowed
      ? "inline jwks are not accepted by this tenant's profile: the client's keys are the ones its directory publishes (software_jwks_endpoint)"
      : req.jwks_uri !== undefined && rules.jwksUriMustBeSoftwareJwksEndpoint && req.jwks_uri !== softwareJwksEndpoint
        ? `jwks_uri ${JSON.stringify(req.jwks_uri)} must be the software statement's software_jwks_endpoint (${softwareJwksEndpoint})`
        : req.jwks !== undefined && req.jwks_uri !== undefined
          ? "give jwks or jwks_uri, not both (RFC 7591 §2)"
          : req.jwks !== undefined
            ? (jwksShapeProblem("jwks", req.jwks) ??
              inlineJwksProblem(req.jwks as { keys: Record<string, unknown>[] }) ??
              // Valid keys that would be ignored: the SSA's endpoint is the client's jwks_uri, and RFC 7591 §2 allows one of the two.
              (softwareJwksEndpoint
                ? `jwks cannot be used: the client's keys are its directory's software_jwks_endpoint (${softwareJwksEndpoint}), which becomes its jwks_uri, and a client has jwks_uri or jwks, not both (RFC 7591 §2); leave jwks out`
                : null))
            : req.jwks_uri !== undefined
              ? (stringProblem("jwks_uri", req.jwks_uri, MAX.uri) ?? outboundProblem(shown(req.jwks_uri)))
              : null;
  c.check("jwks", jwksProblem === null, `keys from ${str(req.jwks_uri) ?? softwareJwksEndpoint ?? "software_jwks"}`, jwksProblem ?? "", "invalid_client_metadata");
  const scope = req.scope === undefined ? "" : req.scope;
  c.check(
    "scope",
    typeof scope === "string" && scope.length <= MAX.scope && /^[\x21\x23-\x5b\x5d-\x7e]*( [\x21\x23-\x5b\x5d-\x7e]+)*$/.test(scope),
    `"${shown(scope)}"`,
    typeof scope === "string" && scope.length > MAX.scope ? `scope is ${scope.length} characters long; at most ${MAX.scope} are accepted` : "scope must be space-separated scope tokens (RFC 6749 §3.3)",
    "invalid_client_metadata",
  );
  const nameProblem = stringProblem("client_name", req.client_name, MAX.name);
  c.check("client_name", nameProblem === null, "a name of at most 200 characters, or none", nameProblem ?? "", "invalid_client_metadata");
  const applicationType = req.application_type;
  c.check(
    "application_type",
    applicationType === undefined || (typeof applicationType === "string" && APPLICATION_TYPES.includes(applicationType)),
    applicationType === undefined ? "web (default)" : shown(applicationType),
    `application_type ${JSON.stringify(applicationType)} is not one of ${APPLICATION_TYPES.join(", ")}`,
    "invalid_client_metadata",
  );

  const metadata: RegistrationMetadata | null =
    directory && softwareId
      ? {
          name: str(req.client_name) ?? str(s.software_client_name) ?? softwareId,
          softwareId,
          orgId: str(s.org_id),
          orgName: str(s.org_name),
          roles: strings(s.software_roles) ?? [],
          redirectUris: redirects ?? [],
          grantTypes: grants,
          responseTypes: responses,
          tokenEndpointAuthMethod: method ?? "",
          tokenEndpointAuthSigningAlg: str(req.token_endpoint_auth_signing_alg),
          idTokenSignedResponseAlg: str(req.id_token_signed_response_alg),
          requestObjectSigningAlg: str(req.request_object_signing_alg),
          tlsClientAuthSubjectDn: str(req.tls_client_auth_subject_dn),
          applicationType: str(req.application_type),
          scope: typeof scope === "string" ? scope : "",
          jwksUri: str(req.jwks_uri) ?? softwareJwksEndpoint,
          jwks: !softwareJwksEndpoint && !req.jwks_uri ? ((req.jwks as RegistrationMetadata["jwks"]) ?? (softwareJwks as RegistrationMetadata["jwks"])) : null,
          softwareStatement: ssa!,
          ssaClaims: s,
          directoryId: directory.id,
        }
      : null;
  return result(metadata, jti, exp);
}
