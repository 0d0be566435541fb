// The secrets scan of an end-to-end run: finds private key material and the
// secrets a run sent or was shown, in what the server answered (recorded by
// scripts/lib/recording-proxy.mjs), in its logs and in its database.
//
// What counts as a finding:
// - private key material anywhere: a PEM block with PRIVATE KEY armor and a
//   body, or a JSON object with "kty" and a private member (d, p, q, dp, dq,
//   qi, k) holding a value;
// - a known secret (a password, an uploaded private key, an API token, a
//   client secret, a registration access token, an invite token) in any
//   answer, except the one answer that reveals it by design and answers whose
//   own request address holds it (a page echoing its URL); in a log line, an
//   audit event or any database cell, always.
//
// Plain Node with builtins only, like the proxy; typed by secret-scan.d.mts.

const BEGIN = "-----BEGIN ";
const PRIVATE_ARMOR = new RegExp(`${BEGIN}((?:[A-Z0-9]+ )*)PRIVATE KEY-----`, "g");
const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"];
const MIN_PRIVATE_VALUE = 16;
/** Harvested passwords shorter than this are too likely to occur by chance (deliberately wrong inputs). */
const MIN_SECRET_LENGTH = 8;

/** Request fields whose value is a secret the server must never send back. */
const SECRET_REQUEST_FIELDS = ["password", "newPassword", "currentPassword", "passphrase", "clientSecret", "client_secret", "secret"];
/** Answer fields that reveal a secret once, by design. */
const REVEAL_FIELDS = ["clientSecret", "client_secret", "registration_access_token", "registrationAccessToken", "token"];

/**
 * The text as it may be nested: raw, and with one or two levels of string
 * escaping undone (JSON in a JSON string, React's flight data in a script).
 * @param {string} text
 * @returns {string[]}
 */
export function escapeLevels(text) {
  const views = [text];
  let current = text;
  for (let i = 0; i < 3 && current.includes("\\"); i++) {
    current = current.replace(/\\(["\\/nrt])/g, (_, c) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c).replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
    views.push(current);
  }
  return views;
}

function enclosingObject(text, index) {
  let depth = 0;
  let start = -1;
  for (let i = index; i >= 0 && index - i < 20_000; i--) {
    const c = text[i];
    if (c === "}") depth++;
    else if (c === "{") {
      if (depth === 0) {
        start = i;
        break;
      }
      depth--;
    }
  }
  if (start < 0) return null;
  depth = 0;
  for (let i = start; i < text.length && i - start < 40_000; i++) {
    const c = text[i];
    if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return text.slice(start, Math.min(text.length, start + 40_000));
}

function pemBodyAfter(text, end) {
  const tail = text.slice(end, end + 600).replace(/\\r|\\n|\\\\n|[\s]/g, "");
  // Legacy encrypted PEM carries headers first (Proc-Type, DEK-Info): key material all the same.
  if (/^Proc-Type:/.test(tail)) return tail.slice(0, 64);
  const match = /^[A-Za-z0-9+/=]{64,}/.exec(tail);
  return match ? match[0] : null;
}

/**
 * Private key material in a text: PEM private-key blocks and private JWK members.
 * @param {string} text
 * @returns {{ kind: "pem" | "jwk", detail: string, value: string }[]}
 */
export function findPrivateKeyMaterial(text) {
  if (typeof text !== "string" || text.length === 0) return [];
  const found = [];
  const seen = new Set();
  for (const view of escapeLevels(text)) {
    for (const match of view.matchAll(PRIVATE_ARMOR)) {
      const body = pemBodyAfter(view, match.index + match[0].length);
      if (body && !seen.has(`pem:${body.slice(0, 40)}`)) {
        seen.add(`pem:${body.slice(0, 40)}`);
        found.push({ kind: "pem", detail: `a PEM block armored "${match[1] ?? ""}PRIVATE KEY"`, value: body });
      }
    }
    for (const kty of view.matchAll(/"kty"\s*:\s*"([A-Za-z-]+)"/g)) {
      const object = enclosingObject(view, kty.index);
      if (!object) continue;
      for (const member of PRIVATE_JWK_MEMBERS) {
        const m = new RegExp(`"${member}"\\s*:\\s*"([A-Za-z0-9_-]{${MIN_PRIVATE_VALUE},})"`).exec(object);
        if (m && !seen.has(`jwk:${m[1]}`)) {
          seen.add(`jwk:${m[1]}`);
          found.push({ kind: "jwk", detail: `private member "${member}" of a JWK with "kty":"${kty[1]}"`, value: m[1] });
        }
      }
    }
  }
  return found;
}

/**
 * The strings to look for to find a secret however it was written: PEM
 * bodies by their base64 lines (a JSON string spells the line breaks "\n").
 * @param {string} value
 * @returns {string[]}
 */
export function needlesOf(value) {
  if (value.includes(BEGIN)) {
    const lines = value
      .split(/\r?\n|\\n/)
      .map((l) => l.trim())
      .filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l));
    return lines.slice(0, 3);
  }
  // A PEM body as found in a request (its lines joined): look for its first lines, which any
  // spelling of the same PEM holds.
  if (/^[A-Za-z0-9+/=]{128,}$/.test(value)) return [value.slice(0, 64), value.slice(64, 128)];
  const needles = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
  return [...needles].filter((n) => n.length >= MIN_SECRET_LENGTH);
}

/**
 * Adds a secret to the list (first origin wins).
 * @param {Map<string, {kind: string, value: string, origin: string, revealedIn?: number}>} secrets
 */
export function addSecret(secrets, kind, value, origin, revealedIn) {
  if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH) return;
  // Known already (sent, named or revealed before): a later answer that shows it is no reveal but a leak.
  if (secrets.has(value)) return;
  secrets.set(value, { kind, value, origin, ...(revealedIn !== undefined ? { revealedIn } : {}) });
}

function walkJson(value, visit, key = "") {
  if (Array.isArray(value)) value.forEach((v) => walkJson(v, visit, key));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walkJson(v, visit, k);
  else if (typeof value === "string") visit(key, value);
}

/**
 * The secrets a request sent: passwords and other secret fields (JSON, form,
 * multipart, as the console's forms and server actions post them), private
 * keys, and the credentials in its Authorization header.
 * @param {{ method?: string, url: string, requestHeaders?: Record<string, string | string[] | undefined>, requestBody?: string }} exchange
 */
export function secretsSentBy(exchange, secrets, origin) {
  const body = exchange.requestBody ?? "";
  for (const found of findPrivateKeyMaterial(body)) addSecret(secrets, found.kind === "pem" ? "uploaded PEM private key" : "uploaded private JWK member", found.value, origin);
  for (const view of escapeLevels(body)) {
    for (const field of SECRET_REQUEST_FIELDS) {
      // JSON, "1_password" style multipart names of server actions, and url-encoded forms.
      for (const m of view.matchAll(new RegExp(`"(?:\\d+_)?${field}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)+)"`, "g"))) addSecret(secrets, `sent ${field}`, JSON.parse(`"${m[1]}"`), origin);
      for (const m of view.matchAll(new RegExp(`name="(?:\\$?\\w*_)?${field}"\\r?\\n\\r?\\n([^\\r\\n]+)`, "g"))) addSecret(secrets, `sent ${field}`, m[1], origin);
    }
  }
  const type = String(exchange.requestHeaders?.["content-type"] ?? "");
  if (type.includes("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(body)) if (SECRET_REQUEST_FIELDS.includes(k)) addSecret(secrets, `sent ${k}`, v, origin);
  }
  if (type.includes("json")) {
    try {
      walkJson(JSON.parse(body), (k, v) => {
        if (SECRET_REQUEST_FIELDS.includes(k)) addSecret(secrets, `sent ${k}`, v, origin);
      });
    } catch {
      // not JSON after all
    }
  }
  const auth = String(exchange.requestHeaders?.authorization ?? "");
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
  if (bearer) addSecret(secrets, "bearer token", bearer[1], origin);
  const basic = /^Basic\s+(\S+)$/i.exec(auth);
  if (basic) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon >= 0) addSecret(secrets, "client secret (Basic auth)", decodeURIComponent(decoded.slice(colon + 1)), origin);
  }
}

/**
 * The secrets an answer reveals by design (a new API token, client secret,
 * registration access token or invite link): remembered with the answer that
 * revealed them, the one place they may appear.
 * @param {{ body?: string | null }} exchange
 * @param {number} index the exchange's position in the record
 */
export function secretsRevealedBy(exchange, index, secrets, origin) {
  const body = exchange.body ?? "";
  if (!body) return;
  for (const view of escapeLevels(body)) {
    for (const field of REVEAL_FIELDS) {
      for (const m of view.matchAll(new RegExp(`"${field}"\\s*:\\s*"([A-Za-z0-9_\\-.~+/=]{16,})"`, "g"))) {
        if (field === "token" && !m[1].startsWith("kw_")) continue;
        addSecret(secrets, field === "token" ? "API token" : field, m[1], origin, index);
      }
    }
    for (const m of view.matchAll(/\/invite\/([A-Za-z0-9_-]{16,})/g)) addSecret(secrets, "invite token", m[1], origin, index);
  }
}

/**
 * Scans one text for private key material and known secrets.
 * @param {string} location where the text comes from (file and line, URL, table.column)
 * @param {string} text
 * @param {Iterable<{kind: string, value: string, origin: string}>} secrets
 * @param {{ allow?: (secret: {kind: string, value: string, origin: string, revealedIn?: number}) => boolean }} [options]
 * @returns {{ location: string, what: string }[]}
 */
export function scanText(location, text, secrets, options = {}) {
  if (typeof text !== "string" || text.length === 0) return [];
  const findings = [];
  for (const found of findPrivateKeyMaterial(text)) findings.push({ location, what: `${found.detail} (${found.value.slice(0, 12)}…)` });
  for (const secret of secrets) {
    if (options.allow?.(secret)) continue;
    if (needlesOf(secret.value).some((n) => text.includes(n))) findings.push({ location, what: `the ${secret.kind} from ${secret.origin} (${secret.value.slice(0, 6)}…)` });
  }
  return findings;
}

/**
 * Scans a recorded run: every answer's headers and body.
 * @param {{ method: string, url: string, status: number, headers?: Record<string, unknown>, body?: string | null }[]} exchanges
 * @param {Map<string, {kind: string, value: string, origin: string, revealedIn?: number}>} secrets
 */
export function scanExchanges(exchanges, secrets, recordName = "traffic") {
  const findings = [];
  exchanges.forEach((exchange, index) => {
    const where = `${recordName}#${index + 1} ${exchange.method} ${exchange.url} (${exchange.status})`;
    const allow = (secret) => secret.revealedIn === index || needlesOf(secret.value).some((n) => safeDecode(exchange.url).includes(n) || exchange.url.includes(n));
    findings.push(...scanText(`${where} body`, exchange.body ?? "", secrets.values(), { allow }));
    findings.push(...scanText(`${where} headers`, JSON.stringify(exchange.headers ?? {}), secrets.values(), { allow }));
  });
  return findings;
}

function safeDecode(url) {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/**
 * Builds the list of secrets from a recorded run (what each request sent and
 * each answer revealed) plus the ones named up front.
 * @param {{ method: string, url: string, requestHeaders?: Record<string, unknown>, requestBody?: string, body?: string | null }[]} exchanges
 * @param {{ kind: string, value: string, origin: string }[]} [named]
 */
export function collectSecrets(exchanges, named = [], recordName = "traffic") {
  const secrets = new Map();
  for (const s of named) addSecret(secrets, s.kind, s.value, s.origin);
  exchanges.forEach((exchange, index) => {
    const origin = `${recordName}#${index + 1} ${exchange.method} ${exchange.url}`;
    secretsSentBy(exchange, secrets, `the request of ${origin}`);
    secretsRevealedBy(exchange, index, secrets, `the answer of ${origin}`);
  });
  return secrets;
}
