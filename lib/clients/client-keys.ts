import { createPublicKey, X509Certificate, type JsonWebKey } from "node:crypto";
import { STALE, versionedEdit } from "@/lib/concurrency/versions";
import type { JWK } from "jose";
import { db } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { jwkThumbprint } from "@/lib/crypto/thumbprints";
import { certificatesJwks, inlineJwks } from "@/lib/idps/key-sources";
import { isPublicKeyJwsAlg, isSignatureKeyType, keyFitsAlg } from "@/lib/jwks-fetch/jws-algorithms";
import { addClientKeySchema, type ClientKeyView } from "@/lib/clients/schemas";
import { refreshRemoteKeys } from "@/lib/idps/idp-keys";
import { bumpTrustVersion, trustChanged } from "@/lib/protocol/trust-version";

const DAY_MS = 86_400_000;
export const CLIENT_KEY_WARNING_DAYS = 30;
const MAX_KEYS = 50;

/** What the console shows of a client's key: kid, type, size, certificate and its expiry. */
export function describeClientKey(jwk: Record<string, unknown>, now = new Date()): ClientKeyView {
  let bits: number | null = null;
  try {
    if (jwk.kty === "RSA") bits = createPublicKey({ key: jwk as JsonWebKey, format: "jwk" }).asymmetricKeyDetails?.modulusLength ?? null;
  } catch {
    bits = null;
  }
  let subject: string | null = null;
  let notAfter: Date | null = null;
  const leaf = Array.isArray(jwk.x5c) && typeof jwk.x5c[0] === "string" ? jwk.x5c[0] : null;
  if (leaf) {
    try {
      const cert = new X509Certificate(Buffer.from(leaf, "base64"));
      subject = cert.subject.replace(/\n/g, ", ");
      notAfter = new Date(cert.validTo);
    } catch {
      subject = null;
    }
  }
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  return {
    kid: str(jwk.kid),
    kty: String(jwk.kty),
    alg: str(jwk.alg),
    use: str(jwk.use),
    bits,
    crv: str(jwk.crv),
    x5t: str(jwk.x5t),
    x5tS256: str(jwk["x5t#S256"]),
    certificateSubject: subject,
    certificateNotAfter: notAfter?.toISOString() ?? null,
    expiry: !notAfter ? "none" : notAfter <= now ? "expired" : notAfter.getTime() - now.getTime() < CLIENT_KEY_WARNING_DAYS * DAY_MS ? "soon" : "ok",
  };
}

const problem = (path: string, message: string) => new AppError("validation_failed", `${path}: ${message}`, [{ path, message }]);

/**
 * A client's signing key as given (a public JWK, or the TPP's PEM
 * certificate), checked: public members only, a signature key of a sane size,
 * an algorithm that fits it; a kid (the RFC 7638 thumbprint when missing).
 */
async function checkedKey(input: { certificatePem: string } | { jwk: Record<string, unknown> }): Promise<Record<string, unknown>> {
  let jwk: Record<string, unknown>;
  if ("certificatePem" in input) {
    const keys = certificatesJwks(input.certificatePem).keys;
    if (keys.length !== 1) throw problem("certificatePem", `holds ${keys.length} certificates; upload the TPP's signing certificate alone`);
    jwk = keys[0]!;
  } else {
    try {
      jwk = inlineJwks({ keys: [input.jwk] }, "the client's").keys[0]!;
    } catch (error) {
      // inlineJwks names the key by its position in a set; here there is one.
      if (error instanceof AppError) throw problem("jwk", error.message.replace(/^jwks\.keys\.0(\.kid)?: /, ""));
      throw error;
    }
  }
  const key = createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
  const details = key.asymmetricKeyDetails ?? {};
  const path = "certificatePem" in input ? "certificatePem" : "jwk";
  if (jwk.kty === "RSA" && ((details.modulusLength ?? 0) < 2048 || (details.modulusLength ?? 0) > 8192)) {
    throw problem(path, `an RSA key of ${details.modulusLength} bits; keys of 2048 to 8192 bits are accepted`);
  }
  if (!isSignatureKeyType(jwk)) throw problem(path, `a ${String(jwk.kty)} ${String(jwk.crv ?? "")} key cannot make signatures`);
  if (jwk.kty === "EC" && !["P-256", "P-384", "P-521"].includes(String(jwk.crv))) throw problem(path, `the curve ${String(jwk.crv)} is not accepted (P-256, P-384, P-521)`);
  if (jwk.alg !== undefined && (!isPublicKeyJwsAlg(jwk.alg) || !keyFitsAlg(jwk, String(jwk.alg)))) {
    throw problem(path, `alg ${JSON.stringify(jwk.alg)} is not a signature algorithm for this ${String(jwk.kty)} key`);
  }
  if (typeof jwk.kid !== "string" || jwk.kid.length === 0) jwk = { ...jwk, kid: await jwkThumbprint(jwk as JWK) };
  if (String(jwk.kid).length > 256) throw problem(path, "kid is longer than 256 characters");
  return { ...jwk, use: jwk.use ?? "sig" };
}

async function clientFor(slug: string, clientId: string) {
  const tenant = await db().tenant.findUnique({ where: { slug }, select: { id: true } });
  if (!tenant) throw notFound(`tenant "${slug}"`);
  const client = await db().client.findFirst({ where: { tenantId: tenant.id, clientId } });
  if (!client) throw notFound(`client "${clientId}"`);
  return client;
}

function keysOf(jwks: string | null): Record<string, unknown>[] {
  return jwks ? (JSON.parse(jwks) as { keys: Record<string, unknown>[] }).keys : [];
}

/**
 * Changes a client's inline JWKS: it is read, changed by `change` and written
 * back, with its audit event, conditionally on the version read, so two
 * changes at once are both kept (the loser of the race starts over from the
 * winner's JWKS). Then the token endpoint picks up the new keys.
 */
async function editClientJwks(
  actor: Actor,
  slug: string,
  clientId: string,
  change: (keys: Record<string, unknown>[]) => { keys: Record<string, unknown>[]; audit: { action: string; before?: unknown; after?: unknown } },
): Promise<void> {
  await versionedEdit({
    object: `client "${clientId}"`,
    target: { type: "client", id: clientId, tenantSlug: slug },
    expected: undefined,
    load: () => clientFor(slug, clientId),
    write: (fresh) =>
      db().$transaction(async (tx) => {
        const { keys, audit } = change(keysOf(fresh.jwks));
        const { count } = await tx.client.updateMany({
          where: { id: fresh.id, version: fresh.version },
          data: { jwks: JSON.stringify({ keys }), version: { increment: 1 } },
        });
        if (count === 0) return STALE;
        await bumpTrustVersion(tx, fresh.tenantId);
        await recordAudit(tx, actor, { ...audit, target: { type: "client", id: clientId }, tenantSlug: slug });
        return true;
      }),
  });
  trustChanged(slug);
}

/** Adds a key to a client's inline JWKS (private_key_jwt clients that do not publish a jwks_uri). */
export async function addClientKey(actor: Actor, slug: string, clientId: string, input: unknown): Promise<ClientKeyView> {
  requireTenantRole(actor, "operator", slug);
  const data = parseInput(addClientKeySchema, input);
  const key = await checkedKey(data);
  const client = await clientFor(slug, clientId);
  if (client.tokenEndpointAuthMethod !== "private_key_jwt") throw new AppError("conflict", `client "${clientId}" authenticates with ${client.tokenEndpointAuthMethod}; only private_key_jwt clients have signing keys here`);
  if (client.jwksUri) throw new AppError("conflict", `client "${clientId}" publishes its keys at ${client.jwksUri}; they are fetched from there`);
  await editClientJwks(actor, slug, clientId, (keys) => {
    if (keys.some((k) => k.kid === key.kid)) {
      throw new AppError("conflict", `the client already has a key with kid "${String(key.kid)}"`, [{ path: "kid", message: "is already in the client's JWKS" }]);
    }
    if (keys.length >= MAX_KEYS) throw new AppError("conflict", `the client has ${keys.length} keys; remove one first (at most ${MAX_KEYS})`);
    return { keys: [...keys, key], audit: { action: "client.key_add", after: describeClientKey(key) } };
  });
  return describeClientKey(key);
}

/** Removes a key from a client's inline JWKS; the last key stays (the client could no longer authenticate). */
export async function removeClientKey(actor: Actor, slug: string, clientId: string, kid: string): Promise<void> {
  requireTenantRole(actor, "operator", slug);
  await editClientJwks(actor, slug, clientId, (keys) => {
    const found = keys.find((k) => k.kid === kid);
    if (!found) throw notFound(`key "${kid}" of client "${clientId}"`);
    if (keys.length === 1) throw new AppError("conflict", `"${kid}" is the client's only key; add its successor first`);
    return { keys: keys.filter((k) => k !== found), audit: { action: "client.key_remove", before: describeClientKey(found) } };
  });
}

/**
 * Fetches a client's jwks_uri now (the console's Test button) through the
 * remote JWKS cache the token endpoint uses: the keys found, described like
 * held keys (with certificate expiry), and the fetch health. A failing
 * upstream is a 502 naming the fault; the keys held before keep verifying.
 */
export async function refreshClientKeys(actor: Actor, slug: string, clientId: string) {
  requireTenantRole(actor, "operator", slug);
  const client = await clientFor(slug, clientId);
  if (!client.jwksUri) throw new AppError("conflict", `client "${clientId}" has no jwks_uri: its keys are held here`);
  const audit = { action: "client.keys_refresh", target: { type: "client", id: clientId }, tenantSlug: slug };
  return refreshRemoteKeys(actor, client.jwksUri, undefined, audit, (keys) => keys.map((k) => describeClientKey(k)));
}
