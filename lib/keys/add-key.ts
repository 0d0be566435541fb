import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";
import { seal } from "@/lib/crypto/seal";
import { KeyInputError } from "@/lib/crypto/key-input-error";
import { prepareSigningKey, type PreparedSigningKey, type PrepareSigningKeyInput } from "@/lib/crypto/prepare-signing-key";
import type { SigningAlg } from "@/lib/crypto/signing-algorithms";
import { PROFILES, type ProfileId } from "@/lib/tenants/profiles";
import { addKeySchema, type AddKeyInput, type KeyPreview, type SigningKeyView } from "@/lib/keys/schemas";
import { keySummary, signingKeyAad, type SigningKeyRow } from "@/lib/keys/key-row";
import { bumpPublishVersion, publishNow, tenantForUpdate } from "@/lib/keys/tenant-scope";
import { toKeyView } from "@/lib/keys/key-view";

export function allowedAlgs(profile: string): SigningAlg[] {
  return [...PROFILES[(profile in PROFILES ? profile : "generic") as ProfileId].signingAlgs];
}

/** Bad key material as a field error of the form that sent it. */
export function keyInputToAppError(error: unknown): unknown {
  if (error instanceof KeyInputError) {
    // The message names its field ("passphrase: …"); beside the field it need not.
    const beside = error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
    return new AppError("validation_failed", error.message, [{ path: error.field, message: beside }]);
  }
  return error;
}

export async function prepare(data: AddKeyInput | PrepareSigningKeyInput, profile: string): Promise<PreparedSigningKey> {
  try {
    return await prepareSigningKey(data, { allowedAlgs: allowedAlgs(profile) });
  } catch (error) {
    throw keyInputToAppError(error);
  }
}

function kidTaken(kid: string, state: string): AppError {
  return new AppError("conflict", `kid "${kid}" is already used by a ${state} key of this tenant`, [
    { path: "kid", message: `is already used by a ${state} key of this tenant` },
  ]);
}

export function toPreview(p: PreparedSigningKey): KeyPreview {
  return {
    kid: p.kid,
    alg: p.alg,
    kidStrategy: p.kidStrategy,
    publicJwk: p.publicJwk as KeyPreview["publicJwk"],
    certificate: p.certificate
      ? {
          subject: p.certificate.subject,
          issuer: p.certificate.issuer,
          serialNumber: p.certificate.serialNumber,
          notBefore: p.certificate.notBefore,
          notAfter: p.certificate.notAfter,
          sans: p.certificate.sans,
          keyUsage: p.certificate.keyUsage,
          extendedKeyUsage: p.certificate.extendedKeyUsage,
          sha1Fingerprint: p.certificate.sha1Fingerprint,
          sha256Fingerprint: p.certificate.sha256Fingerprint,
          selfSigned: p.certificate.selfSigned,
        }
      : null,
    chainComplete: p.chainComplete,
    key: p.keyDescription,
    warnings: p.warnings,
  };
}

/**
 * Stores a prepared key as `staged` inside the caller's transaction: sealed
 * private part, certificate columns, publish version bump and audit.
 */
export async function insertPreparedKey(
  tx: Tx,
  actor: Actor,
  tenant: { id: string; slug: string },
  prepared: PreparedSigningKey,
  options: { appId: string | null; source: string; now?: Date },
): Promise<SigningKeyRow> {
  const existing = await tx.signingKey.findUnique({ where: { tenantId_kid: { tenantId: tenant.id, kid: prepared.kid } } });
  if (existing) throw kidTaken(prepared.kid, existing.state);
  const created = await tx.signingKey.create({
    data: {
      tenantId: tenant.id,
      appId: options.appId,
      kid: prepared.kid,
      alg: prepared.alg,
      kidStrategy: prepared.kidStrategy,
      state: "staged",
      source: options.source,
      publicJwk: JSON.stringify(prepared.publicJwk),
      privateKeySealed: seal(prepared.privateKeyPkcs8Pem, env().kek, signingKeyAad(tenant.id, prepared.kid)),
      certificateChainPem: prepared.certificateChainPem,
      certSubject: prepared.certificate?.subject ?? null,
      certIssuer: prepared.certificate?.issuer ?? null,
      certSerial: prepared.certificate?.serialNumber ?? null,
      certNotBefore: prepared.certificate ? new Date(prepared.certificate.notBefore) : null,
      certNotAfter: prepared.certificate ? new Date(prepared.certificate.notAfter) : null,
      certSha256: prepared.certificate?.sha256Fingerprint ?? null,
      createdBy: actor.label,
      // Its publication time: the rotation plan counts propagation from here.
      ...(options.now ? { createdAt: options.now } : {}),
    },
  });
  await bumpPublishVersion(tx, tenant.id);
  await recordAudit(tx, actor, {
    action: "key.create",
    target: { type: "signing_key", id: created.kid },
    tenantSlug: tenant.slug,
    after: { ...keySummary(created), kidStrategy: created.kidStrategy, warnings: prepared.warnings },
  });
  return created;
}

/**
 * What adding this key would store (kid, alg, certificate, fingerprints,
 * warnings), without storing anything: the console's preview.
 */
export async function previewSigningKey(actor: Actor, slug: string, input: unknown): Promise<KeyPreview> {
  requireTenantRole(actor, "operator", slug);
  const data = parseInput(addKeySchema, input);
  const tenant = await db().tenant.findUnique({ where: { slug } });
  if (!tenant) throw notFound(`tenant "${slug}"`);
  const prepared = await prepare(data, tenant.profile);
  const existing = await db().signingKey.findUnique({ where: { tenantId_kid: { tenantId: tenant.id, kid: prepared.kid } } });
  if (existing) throw kidTaken(prepared.kid, existing.state);
  return toPreview(prepared);
}

/**
 * Adds a signing key (generated, PEM or private JWK) as `staged`: published in
 * the JWKS, not signing until activated. The private key is sealed under the
 * KEK before it reaches the database.
 */
export async function addSigningKey(actor: Actor, slug: string, input: unknown, source?: "import"): Promise<SigningKeyView> {
  requireTenantRole(actor, "operator", slug);
  const data = parseInput(addKeySchema, input);
  const profile = (await db().tenant.findUnique({ where: { slug }, select: { profile: true } }))?.profile;
  if (!profile) throw notFound(`tenant "${slug}"`);
  const prepared = await prepare(data, profile);
  const row = await db().$transaction(async (tx) => {
    const tenant = await tenantForUpdate(tx, slug);
    return insertPreparedKey(tx, actor, { id: tenant.id, slug }, prepared, { appId: data.appId ?? null, source: source ?? data.source });
  });
  publishNow(slug);
  return toKeyView(row);
}
