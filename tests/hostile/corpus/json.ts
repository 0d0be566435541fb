/**
 * Request bodies a JSON API must refuse: members twice, nesting without end,
 * sizes past the limit, the wrong content type, not JSON at all. Generated,
 * never stored: the largest is built when the case runs.
 */

export interface BodyCase {
  name: string;
  contentType: string | null;
  body: () => string;
  status: number;
  says: RegExp;
  /** The field error path the answer must carry, when it names one. */
  path?: string;
}

const idp = (extra = "") => `{"name":"https://idp.example/dup","jwksUri":"https://idp.example/jwks"${extra}}`;
const nest = (depth: number, open: string, close: string, inner = "1") => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/** Bodies for a JSON route that creates something (an identity provider). */
export function jsonBodyCases(): BodyCase[] {
  const json = "application/json";
  return [
    { name: "a member twice at the top", contentType: json, body: () => idp(',"name":"https://other.example"'), status: 400, says: /the member "name" appears twice at the top level/, path: "name" },
    { name: "a member twice, the second with escapes", contentType: json, body: () => idp(',"jwks\\u0055ri":"http://169.254.169.254/"'), status: 400, says: /the member "jwksUri" appears twice/, path: "jwksUri" },
    { name: "a member twice inside a key", contentType: json, body: () => '{"name":"https://idp.example/x","jwks":{"keys":[{"kty":"EC","kty":"RSA"}]}}', status: 400, says: /the member "kty" appears twice in jwks\.keys\.0/, path: "jwks.keys.0.kty" },
    { name: "a member twice in a nested object", contentType: json, body: () => idp(',"fetch":{"readTimeoutMs":100,"readTimeoutMs":30000}'), status: 400, says: /the member "readTimeoutMs" appears twice in fetch/ },
    { name: "arrays nested 10 000 deep", contentType: json, body: () => idp(`,"x":${nest(10_000, "[", "]")}`), status: 400, says: /nested more than 64 levels deep/ },
    { name: "objects nested 10 000 deep", contentType: json, body: () => idp(`,"x":${nest(10_000, '{"a":', "}")}`), status: 400, says: /nested more than 64 levels deep/ },
    { name: "nesting of 65 levels", contentType: json, body: () => nest(65, "[", "]"), status: 400, says: /nested more than 64 levels deep/ },
    { name: "nesting past the size limit", contentType: json, body: () => nest(600_000, "[", "]"), status: 413, says: /larger than 1000000 bytes/ },
    { name: "1 MB of padding", contentType: json, body: () => idp(`,"pad":"${"x".repeat(1_000_001)}"`), status: 413, says: /larger than 1000000 bytes/ },
    { name: "text/plain", contentType: "text/plain", body: () => idp(), status: 415, says: /must be application\/json; got text\/plain/ },
    { name: "a form", contentType: "application/x-www-form-urlencoded", body: () => "name=x&jwksUri=y", status: 415, says: /must be application\/json; got application\/x-www-form-urlencoded/ },
    { name: "no content type", contentType: null, body: () => idp(), status: 415, says: /must be application\/json; got (no Content-Type|text\/plain)/ },
    { name: "application/jsonp", contentType: "application/jsonp", body: () => idp(), status: 415, says: /must be application\/json; got application\/jsonp/ },
    { name: "application/json-seq", contentType: "application/json-seq", body: () => idp(), status: 415, says: /must be application\/json; got application\/json-seq/ },
    { name: "application/jwt", contentType: "application/jwt", body: () => "eyJhbGciOiJub25lIn0.e30.", status: 415, says: /must be application\/json/ },
    { name: "multipart", contentType: "multipart/form-data; boundary=x", body: () => "--x\r\n\r\n--x--", status: 415, says: /must be application\/json/ },
    { name: "not JSON", contentType: json, body: () => "{name: 'x'}", status: 400, says: /not valid JSON \(error at position \d+\)/ },
    { name: "a trailing comma", contentType: json, body: () => '{"name":"x",}', status: 400, says: /not valid JSON/ },
    { name: "a JSON array", contentType: json, body: () => "[]", status: 400, says: /expected object|Invalid input/i },
    { name: "JSON null", contentType: json, body: () => "null", status: 400, says: /expected object|Invalid input|is required/i },
    { name: "a lone string", contentType: json, body: () => '"idp"', status: 400, says: /expected object|Invalid input/i },
    { name: "a NUL byte after the document", contentType: json, body: () => `${idp()}\u0000`, status: 400, says: /not valid JSON/ },
    { name: "two documents", contentType: json, body: () => `${idp()}${idp()}`, status: 400, says: /not valid JSON/ },
    { name: "a name of 501 characters", contentType: json, body: () => `{"name":"${"n".repeat(501)}","jwksUri":"https://idp.example/jwks"}`, status: 400, says: /name: .*(500|Too big|too big)/i, path: "name" },
    { name: "a jwks_uri of 2001 characters", contentType: json, body: () => `{"name":"https://idp.example/long","jwksUri":"https://idp.example/${"a".repeat(2000)}"}`, status: 400, says: /jwksUri: .*(2000|Too big|too big)/i, path: "jwksUri" },
    { name: "an algorithm outside the enumeration", contentType: json, body: () => '{"name":"https://idp.example/alg","jwksUri":"https://idp.example/jwks","allowedAlgs":["HS256"]}', status: 400, says: /allowedAlgs\.0: .*(PS256|Invalid option)/i, path: "allowedAlgs.0" },
    { name: "an algorithm in another case", contentType: json, body: () => '{"name":"https://idp.example/alg2","jwksUri":"https://idp.example/jwks","allowedAlgs":["ps256"]}', status: 400, says: /allowedAlgs\.0/, path: "allowedAlgs.0" },
    { name: "a boolean as a string", contentType: json, body: () => '{"name":"https://idp.example/b","jwksUri":"https://idp.example/jwks","enabled":"true"}', status: 400, says: /enabled: .*boolean/i, path: "enabled" },
    { name: "a number as a string", contentType: json, body: () => '{"name":"https://idp.example/n","jwksUri":"https://idp.example/jwks","clockSkewSeconds":"60"}', status: 400, says: /clockSkewSeconds: .*number/i, path: "clockSkewSeconds" },
    { name: "a huge number", contentType: json, body: () => '{"name":"https://idp.example/h","jwksUri":"https://idp.example/jwks","clockSkewSeconds":1e309}', status: 400, says: /clockSkewSeconds|not valid JSON|finite|Infinity|number/i },
  ];
}

/** Bodies the token endpoint must refuse before it reads a parameter. */
export function formBodyCases(): { name: string; contentType: string | null; body: () => string; status: number; error: string; says: RegExp }[] {
  const form = "application/x-www-form-urlencoded";
  const grant = "grant_type=client_credentials";
  return [
    { name: "JSON", contentType: "application/json", body: () => '{"grant_type":"client_credentials"}', status: 415, error: "invalid_request", says: /must be application\/x-www-form-urlencoded; got application\/json/ },
    { name: "text/plain", contentType: "text/plain", body: () => grant, status: 415, error: "invalid_request", says: /must be application\/x-www-form-urlencoded; got text\/plain/ },
    { name: "no content type", contentType: null, body: () => grant, status: 415, error: "invalid_request", says: /must be application\/x-www-form-urlencoded; got (no Content-Type|text\/plain)/ },
    { name: "multipart", contentType: "multipart/form-data; boundary=x", body: () => `--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--x--`, status: 415, error: "invalid_request", says: /must be application\/x-www-form-urlencoded; got multipart\/form-data/ },
    { name: "application/jwt", contentType: "application/jwt", body: () => "eyJ.eyJ.sig", status: 415, error: "invalid_request", says: /x-www-form-urlencoded/ },
    { name: "a form look-alike type", contentType: "application/x-www-form-urlencodedx", body: () => grant, status: 415, error: "invalid_request", says: /x-www-form-urlencoded; got application\/x-www-form-urlencodedx/ },
    { name: "grant_type twice", contentType: form, body: () => `${grant}&grant_type=${encodeURIComponent("urn:ietf:params:oauth:grant-type:jwt-bearer")}`, status: 400, error: "invalid_request", says: /the parameter "grant_type" is repeated/ },
    { name: "grant_type twice, the same value", contentType: form, body: () => `${grant}&${grant}`, status: 400, error: "invalid_request", says: /the parameter "grant_type" is repeated/ },
    { name: "client_assertion twice", contentType: form, body: () => `${grant}&client_assertion=a.b.c&client_assertion=d.e.f`, status: 400, error: "invalid_request", says: /the parameter "client_assertion" is repeated/ },
    { name: "scope twice", contentType: form, body: () => `${grant}&scope=a&scope=b`, status: 400, error: "invalid_request", says: /the parameter "scope" is repeated/ },
    { name: "assertion twice", contentType: form, body: () => `grant_type=${encodeURIComponent("urn:ietf:params:oauth:grant-type:jwt-bearer")}&assertion=a&assertion=b`, status: 400, error: "invalid_request", says: /the parameter "assertion" is repeated/ },
    { name: "a parameter twice under another spelling", contentType: form, body: () => `${grant}&grant%5Ftype=client_credentials`, status: 400, error: "invalid_request", says: /the parameter "grant_type" is repeated/ },
    { name: "16 KB and one byte", contentType: form, body: () => `${grant}&pad=${"x".repeat(16_384)}`, status: 413, error: "invalid_request", says: /larger than 16384 bytes/ },
    { name: "no grant_type", contentType: form, body: () => "scope=a", status: 400, error: "invalid_request", says: /grant_type is missing/ },
    { name: "an unknown grant_type", contentType: form, body: () => "grant_type=password&username=a&password=b", status: 400, error: "unsupported_grant_type", says: /grant_type "password" is not supported/ },
    { name: "a broken percent-encoding", contentType: form, body: () => "grant_type=%E0%A4%A&x=%", status: 400, error: "unsupported_grant_type", says: /is not supported/ },
    { name: "no client authentication", contentType: form, body: () => grant, status: 401, error: "invalid_client", says: /no client authentication/ },
    { name: "a client_assertion_type that is not jwt-bearer", contentType: form, body: () => `${grant}&client_assertion=a.b.c&client_assertion_type=saml`, status: 401, error: "invalid_client", says: /client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer/ },
  ];
}
