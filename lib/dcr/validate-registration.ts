import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JWSHeaderParameters } from "jose";
import { remoteJwksCache } from "@/lib/idps/jwks-cache";
import { directoriesFor, directoryKeys, type DirectoryRow } from "@/lib/directories/directories";
import { jtiSeen } from "@/lib/protocol/replay-cache";
import { dcrRulesOf, type DcrRules } from "@/lib/tenants/profiles";
import { grantResponseProblem, SIGNING_ALG_FIELDS, signingAlgProblems } from "@/lib/clients/client-metadata";

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
/** JOSE header members that would make a verifier fetch or trust a key the JWT itself names: never followed. */
const KEY_POINTING_HEADERS = ["jku", "x5u", "jwk", "x5c"];

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

function decodePayload(jwt: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function headerOf(jwt: string): JWSHeaderParameters | null {
  try {
    return decodeProtectedHeader(jwt) as JWSHeaderParameters;
  } catch {
    return null;
  }
}

const isJws = (s: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(s);
const strings = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : null);
const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

function headerProblems(header: JWSHeaderParameters, rules: DcrRules): string | null {
  if (typeof header.alg !== "string" || header.alg === "none") return `alg "${String(header.alg)}" is not allowed: the JWT must be signed with ${rules.algs.join(" or ")}`;
  if (!rules.algs.includes(header.alg)) return `alg ${header.alg} is not allowed by this tenant's profile (${rules.algs.join(", ")})`;
  const pointing = KEY_POINTING_HEADERS.filter((h) => h in header);
  if (pointing.length > 0) return `the header carries ${pointing.join(", ")}: keys named by the JWT itself are never used`;
  if (header.crit !== undefined) return `the header marks ${JSON.stringify(header.crit)} as critical; no critical extension is understood here`;
  return null;
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
  const jwt = requestJwt.trim();
  const header = isJws(jwt) ? headerOf(jwt) : null;
  const claims = header ? decodePayload(jwt) : null;
  if (!c.check("request.format", !!header && !!claims, "a signed JWT (JWS compact) with a JSON payload", "the body is not a signed JWT (JWS compact serialization) with a JSON object payload", "invalid_client_metadata")) return result();
  const headerProblem = headerProblems(header!, rules);
  c.check("request.header", headerProblem === null, `${header!.alg}, kid ${header!.kid ?? "(none)"}`, headerProblem ?? "", "invalid_client_metadata");
  const req = claims!;

  // The software statement: signed by a directory this tenant trusts, recent enough.
  const ssa = str(req.software_statement);
  if (!c.check("software_statement", !!ssa && isJws(ssa), "present, a signed JWT", ssa ? "software_statement is not a signed JWT" : "software_statement is missing", "invalid_software_statement")) return result();
  const ssaHeader = headerOf(ssa!);
  const ssaClaims = decodePayload(ssa!);
  if (!c.check("software_statement.format", !!ssaHeader && !!ssaClaims, "readable header and claims", "the software statement's header or claims are not readable JSON", "invalid_software_statement")) return result();
  const ssaHeaderProblem = headerProblems(ssaHeader!, rules);
  c.check("software_statement.header", ssaHeaderProblem === null, `${ssaHeader!.alg}, kid ${ssaHeader!.kid ?? "(none)"}`, ssaHeaderProblem ?? "", "invalid_software_statement");
  const s = ssaClaims!;
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
        ? `the software statement's iat is in the future (${new Date(ssaIat * 1000).toISOString()})`
        : `the software statement is ${nowS - ssaIat} s old; this tenant accepts software statements at most ${rules.ssaMaxAgeSeconds} s old`,
    "invalid_software_statement",
  );
  const softwareId = str(s.software_id);
  const softwareRedirects = strings(s.software_redirect_uris);
  const softwareJwksEndpoint = str(s.software_jwks_endpoint);
  const softwareJwks = s.software_jwks && typeof s.software_jwks === "object" ? (s.software_jwks as { keys?: unknown }) : null;
  const ssaClaimProblem = !softwareId
    ? "the software statement has no software_id"
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
    const keys = softwareJwksEndpoint ? remoteJwksCache().resolver(softwareJwksEndpoint) : (createLocalJWKSet(softwareJwks as never) as never);
    const problem = await verifies(jwt, keys, rules.algs);
    c.check(
      "request.signature",
      problem === null,
      `verified with the software's keys (${softwareJwksEndpoint ?? "software_jwks"})`,
      `the registration request's signature was refused: ${problem} (keys of ${softwareJwksEndpoint ?? "the SSA's software_jwks"})`,
      "invalid_client_metadata",
    );
  }

  // Who, for whom, when, once.
  c.check("request.iss", !!softwareId && req.iss === softwareId, `iss is the software_id ${softwareId}`, `iss "${String(req.iss)}" is not the software statement's software_id "${softwareId}"`, "invalid_client_metadata");
  if (options.forClient) {
    c.check("request.software_id", softwareId === options.forClient.softwareId, "the software this client was registered for", `software_id "${softwareId}" is not the software this client was registered for ("${options.forClient.softwareId}")`, "invalid_client_metadata");
  } else if (req.software_id !== undefined) {
    c.check("request.software_id", req.software_id === softwareId, "matches the software statement", `software_id "${String(req.software_id)}" differs from the software statement's "${softwareId}"`, "invalid_client_metadata");
  }
  const aud = Array.isArray(req.aud) ? req.aud : [req.aud];
  c.check("request.aud", aud.includes(tenant.issuer), `aud is ${tenant.issuer}`, `aud ${JSON.stringify(req.aud ?? null)} is not this tenant's issuer ${tenant.issuer}`, "invalid_client_metadata");
  const iat = typeof req.iat === "number" ? req.iat : null;
  const exp = typeof req.exp === "number" ? req.exp : null;
  c.check(
    "request.iat",
    iat !== null && iat <= nowS + SKEW_SECONDS,
    "present and in the past",
    iat === null ? "iat is missing" : `iat is in the future (${new Date(iat * 1000).toISOString()})`,
    "invalid_client_metadata",
  );
  c.check(
    "request.exp",
    exp !== null && exp > nowS - SKEW_SECONDS && (iat === null || exp - iat <= rules.requestMaxLifetimeSeconds),
    `expires at ${exp === null ? "?" : new Date(exp * 1000).toISOString()}`,
    exp === null
      ? "exp is missing"
      : exp <= nowS - SKEW_SECONDS
        ? `the registration request expired at ${new Date(exp * 1000).toISOString()}`
        : `the registration request is valid for ${exp - iat!} s; at most ${rules.requestMaxLifetimeSeconds} s are accepted`,
    "invalid_client_metadata",
  );
  const jti = str(req.jti);
  const replayed = jti && softwareId ? await jtiSeen(`dcr:${softwareId}`, jti) : false;
  c.check("request.jti", !!jti && !replayed, "present and not seen before", jti ? `jti "${jti}" was already used by a registration request of this software` : "jti is missing", "invalid_client_metadata");

  // What the client asks for.
  const redirects = strings(req.redirect_uris);
  const outside = redirects && softwareRedirects ? redirects.filter((u) => !softwareRedirects.includes(u)) : [];
  c.check(
    "redirect_uris",
    !!redirects && redirects.length > 0 && outside.length === 0,
    `${redirects?.length ?? 0} URI(s), all in the software statement's software_redirect_uris`,
    !redirects || redirects.length === 0 ? "redirect_uris is missing or empty" : `${outside.join(", ")} ${outside.length === 1 ? "is" : "are"} not among the software statement's software_redirect_uris`,
    "invalid_redirect_uri",
  );
  const method = str(req.token_endpoint_auth_method);
  const methodProblem = !method
    ? "token_endpoint_auth_method is missing"
    : !(rules.authMethods as readonly string[]).includes(method)
      ? `token_endpoint_auth_method "${method}" is not allowed by this tenant's profile (${rules.authMethods.join(", ")})`
      : method === "tls_client_auth" && !str(req.tls_client_auth_subject_dn)
        ? "tls_client_auth needs tls_client_auth_subject_dn (the subject DN of the TPP's transport certificate)"
        : null;
  c.check("token_endpoint_auth_method", methodProblem === null, String(method), methodProblem ?? "", "invalid_client_metadata");
  const algProblems = signingAlgProblems(
    Object.fromEntries(SIGNING_ALG_FIELDS.map(({ field, claim }) => [field, req[claim]])),
    rules.algs,
    typeof method === "string" ? method : null,
    true,
  );
  c.check("algorithms", algProblems.length === 0, "every requested algorithm is allowed", algProblems.join("; "), "invalid_client_metadata");
  const grants = strings(req.grant_types) ?? ["authorization_code"];
  const responses = strings(req.response_types) ?? (grants.includes("authorization_code") ? ["code"] : []);
  const grantProblem = grantResponseProblem(grants, responses);
  c.check("grant_types", grantProblem === null, `grants ${grants.join(", ")}; responses ${responses.join(", ") || "(none)"}`, grantProblem ?? "", "invalid_client_metadata");
  const jwksProblem =
    req.jwks !== undefined && !rules.inlineJwksAllowed
      ? "inline jwks are not accepted by this tenant's profile: the client's keys are the ones its directory publishes (software_jwks_endpoint)"
      : req.jwks_uri !== undefined && rules.jwksUriMustBeSoftwareJwksEndpoint && req.jwks_uri !== softwareJwksEndpoint
        ? `jwks_uri ${JSON.stringify(req.jwks_uri)} must be the software statement's software_jwks_endpoint (${softwareJwksEndpoint})`
        : null;
  c.check("jwks", jwksProblem === null, `keys from ${str(req.jwks_uri) ?? softwareJwksEndpoint ?? "software_jwks"}`, jwksProblem ?? "", "invalid_client_metadata");
  const scope = req.scope === undefined ? "" : req.scope;
  c.check("scope", typeof scope === "string" && /^[\x21\x23-\x5b\x5d-\x7e]*( [\x21\x23-\x5b\x5d-\x7e]+)*$/.test(scope), `"${String(scope)}"`, "scope must be space-separated scope tokens (RFC 6749 §3.3)", "invalid_client_metadata");

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
