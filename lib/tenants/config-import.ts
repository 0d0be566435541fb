import { db } from "@/lib/db";
import { AppError, notFound, type FieldError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-event";
import { type Actor, requireTenantRole } from "@/lib/auth/roles";
import { toFieldErrors } from "@/lib/validation";
import { KeyInputError } from "@/lib/crypto/key-input-error";
import { prepareSigningKey, type PreparedSigningKey } from "@/lib/crypto/prepare-signing-key";
import { allowedAlgs, insertPreparedKey } from "@/lib/keys/add-key";
import type { SigningAlg } from "@/lib/crypto/signing-algorithms";
import { activateInTx } from "@/lib/keys/activate-key";
import { propagatedAt } from "@/lib/rotation/lifecycle";
import { policyOf, rotationPolicyInputSchema } from "@/lib/rotation/policy";
import type { SigningKeyRow } from "@/lib/keys/key-row";
import { invalidateTenant } from "@/lib/protocol/published-state";
import { existingKeyEntrySchema, newKeyEntrySchema, tenantConfigImportSchema, type ConfigChange, type NewKeyEntry, type TenantConfigImport } from "@/lib/tenants/config-schema";
import { unknownConfigMembers } from "@/lib/tenants/config-members";

interface NewKey {
  index: number;
  prepared: PreparedSigningKey;
  appId: string | null;
}

/**
 * Imports a tenant configuration (an export, edited). Everything is checked
 * first and every problem is reported at once; then the whole change applies in
 * one transaction, or nothing does. `dryRun` answers the changes without
 * applying them (the console's diff). New keys come as private JWKs; keys the
 * tenant has are referred to by kid; keys left out are not touched.
 */
export async function importTenantConfig(
  actor: Actor,
  slug: string,
  input: unknown,
  options: { dryRun?: boolean } = {},
): Promise<{ applied: boolean; changes: ConfigChange[] }> {
  requireTenantRole(actor, "operator", slug);
  // A member the format does not have would be ignored: refused, with the rest.
  const unknown = unknownConfigMembers(input);
  // A member that fails the format is a problem; the rest of the document is
  // still checked without it, so that every problem is reported at once.
  const { data, problems: formatProblems } = parseLeavingOutBadMembers(input);
  if (!data) {
    const all = [...unknown, ...formatProblems];
    throw new AppError("validation_failed", `the configuration has ${all.length} problem(s); nothing was changed`, all);
  }
  const tenant = await db().tenant.findUnique({ where: { slug }, include: { signingKeys: true } });
  if (!tenant) throw notFound(`tenant "${slug}"`);
  const problems: FieldError[] = [...unknown, ...formatProblems];
  const changes: ConfigChange[] = [];

  // Tenant settings.
  const settings: { name?: string; profile?: string; jwksMaxAgeSeconds?: number; propagationSeconds?: number } & Record<string, unknown> = {};
  if (data.tenant?.slug !== undefined && data.tenant.slug !== slug) {
    problems.push({ path: "tenant.slug", message: `is "${data.tenant.slug}" but this is tenant "${slug}"; a tenant's slug never changes` });
  }
  for (const field of ["name", "profile", "jwksMaxAgeSeconds"] as const) {
    const value = data.tenant?.[field];
    if (value !== undefined && value !== tenant[field]) {
      (settings as Record<string, unknown>)[field] = value;
      changes.push({ path: `tenant.${field}`, change: "set", before: tenant[field], after: value });
    }
  }
  // The rotation policy: checked field by field as the policy endpoint does.
  const policyFields = ["propagationSeconds", "retentionSeconds", "rotationIntervalSeconds", "algorithm", "autoActivate", "expiryWarningDays", "accessTokenTtlSeconds"] as const;
  const currentPolicy: Record<(typeof policyFields)[number], unknown> = {
    propagationSeconds: tenant.propagationSeconds,
    retentionSeconds: tenant.retentionSeconds,
    rotationIntervalSeconds: tenant.rotationIntervalSeconds,
    algorithm: tenant.rotationAlg,
    autoActivate: tenant.autoActivate,
    expiryWarningDays: tenant.expiryWarningDays,
    accessTokenTtlSeconds: tenant.accessTokenTtlSeconds,
  };
  if (data.rotationPolicy) {
    // Unknown members are already problems (unknownConfigMembers).
    const known = Object.fromEntries(Object.entries(data.rotationPolicy).filter(([k]) => (policyFields as readonly string[]).includes(k)));
    const checked = rotationPolicyInputSchema.safeParse(known);
    if (!checked.success) {
      for (const issue of checked.error.issues) problems.push({ path: `rotationPolicy.${issue.path.join(".")}`, message: issue.message });
    } else {
      for (const field of policyFields) {
        const value = checked.data[field];
        if (value !== undefined && value !== currentPolicy[field]) {
          (settings as Record<string, unknown>)[field === "algorithm" ? "rotationAlg" : field] = value;
          changes.push({ path: `rotationPolicy.${field}`, change: "set", before: currentPolicy[field], after: value });
        }
      }
    }
  }
  const propagation = settings.propagationSeconds ?? tenant.propagationSeconds;
  const maxAge = settings.jwksMaxAgeSeconds ?? tenant.jwksMaxAgeSeconds;
  if (propagation < maxAge) {
    problems.push({
      path: settings.propagationSeconds !== undefined ? "rotationPolicy.propagationSeconds" : "tenant.jwksMaxAgeSeconds",
      message: `propagation (${propagation} s) must be at least the JWKS max-age (${maxAge} s): relying parties may cache the JWKS that long`,
    });
  }
  if (Object.keys(settings).length > 0 && actor.role !== "admin") {
    problems.push({ path: "tenant", message: "changing the tenant's settings needs the admin role" });
  }
  const profile = settings.profile ?? tenant.profile;
  const rotationAlg = "rotationAlg" in settings ? (settings.rotationAlg as string | null) : tenant.rotationAlg;
  if (rotationAlg && !allowedAlgs(profile).includes(rotationAlg as SigningAlg)) {
    problems.push({ path: "rotationPolicy.algorithm", message: `${rotationAlg} is not allowed by the tenant's profile (${allowedAlgs(profile).join(", ")})` });
  }

  // Keys: referred to by kid, or new as a private JWK.
  const byKid = new Map<string, SigningKeyRow>(tenant.signingKeys.map((k) => [k.kid, k]));
  const added: NewKey[] = [];
  const seen = new Set<string>();
  for (const [index, item] of (data.signingKeys ?? []).entries()) {
    if ("jwk" in item && item.jwk !== undefined) {
      // The union lets a loose entry through; a new key is checked strictly here.
      const checked = newKeyEntrySchema.safeParse(item);
      if (!checked.success) {
        for (const issue of checked.error.issues) problems.push({ path: `signingKeys.${index}.${issue.path.join(".")}`, message: issue.message });
        continue;
      }
      const entry: NewKeyEntry = checked.data;
      let prepared: PreparedSigningKey;
      try {
        prepared = await prepareSigningKey(
          { source: "jwk", jwk: entry.jwk, kid: entry.kid, alg: entry.alg, certificatePem: entry.certificatePem },
          { allowedAlgs: allowedAlgs(profile) },
        );
      } catch (error) {
        if (!(error instanceof KeyInputError)) throw error;
        problems.push({ path: `signingKeys.${index}.${error.field}`, message: error.message });
        continue;
      }
      if (byKid.has(prepared.kid) || seen.has(prepared.kid)) {
        problems.push({ path: `signingKeys.${index}.kid`, message: `"${prepared.kid}" is already used by another key` });
        continue;
      }
      seen.add(prepared.kid);
      added.push({ index, prepared, appId: entry.appId ?? null });
      changes.push({ path: `signingKeys.${prepared.kid}`, change: "add", after: { kid: prepared.kid, alg: prepared.alg, state: "staged", certificate: prepared.certificate?.subject ?? null } });
    } else if (!existingKeyEntrySchema.safeParse(item).success) {
      problems.push({ path: `signingKeys.${index}`, message: 'must be a key the tenant has ({"kid": …}) or a new key ({"jwk": {…}})' });
    } else if (!byKid.has(item.kid as string)) {
      problems.push({ path: `signingKeys.${index}.kid`, message: `no key "${String(item.kid)}" in this tenant; to add a key, give its private JWK in "jwk"` });
    } else {
      seen.add(item.kid as string);
      // An import adds keys and chooses the signing key; it does not edit a
      // key's material or state (those have their own audited actions).
      const current = byKid.get(item.kid as string)!;
      const exported: Record<string, unknown> = { alg: current.alg, state: current.state, appId: current.appId, kidStrategy: current.kidStrategy };
      for (const [field, value] of Object.entries(exported)) {
        if (field in item && (item as Record<string, unknown>)[field] !== value) {
          problems.push({
            path: `signingKeys.${index}.${field}`,
            message: `is ${JSON.stringify(value)} and an import does not change it${field === "state" ? "; use signing.activeKid to choose the signing key, or the key's own actions" : ""}`,
          });
        }
      }
      if ("publicJwk" in item && JSON.stringify(item.publicJwk) !== JSON.stringify(JSON.parse(current.publicJwk))) {
        problems.push({ path: `signingKeys.${index}.publicJwk`, message: "differs from the key's; a key's material never changes (add a new key instead)" });
      }
    }
  }

  // Which key signs, tenant-wide and per app.
  const wanted: { scope: string | null; kid: string; path: string }[] = [];
  const hasActive = tenant.signingKeys.some((k) => k.state === "active" && k.appId === null);
  // null is what a tenant without a signing key exports: unchanged, not a request to unset.
  if (data.signing?.activeKid === null && hasActive) problems.push({ path: "signing.activeKid", message: "the tenant must keep a signing key" });
  else if (data.signing?.activeKid != null) wanted.push({ scope: null, kid: data.signing.activeKid, path: "signing.activeKid" });
  for (const [appId, kid] of Object.entries(data.signing?.apps ?? {})) wanted.push({ scope: appId, kid, path: `signing.apps.${appId}` });
  const activations: { kid: string; isNew: boolean }[] = [];
  for (const w of wanted) {
    const current = tenant.signingKeys.find((k) => k.state === "active" && k.appId === w.scope);
    if (current?.kid === w.kid) continue;
    const existing = byKid.get(w.kid);
    const fresh = added.find((a) => a.prepared.kid === w.kid);
    const scopeOf = existing ? existing.appId : (fresh?.appId ?? null);
    const expires = existing?.certNotAfter ?? (fresh?.prepared.certificate ? new Date(fresh.prepared.certificate.notAfter) : null);
    if (!existing && !fresh) problems.push({ path: w.path, message: `no key "${w.kid}" in this tenant or in this import` });
    else if (scopeOf !== w.scope) problems.push({ path: w.path, message: `key "${w.kid}" belongs to ${scopeOf ? `app "${scopeOf}"` : "the tenant"}, not ${w.scope ? `app "${w.scope}"` : "the tenant"}` });
    else if (existing && existing.state !== "staged" && existing.state !== "retired") problems.push({ path: w.path, message: `key "${w.kid}" is ${existing.state} and cannot sign` });
    else if (expires && expires <= new Date()) problems.push({ path: w.path, message: `key "${w.kid}" has an expired certificate and cannot sign` });
    else if (current && (!existing || (existing.state === "staged" && propagatedAt(existing.createdAt, policyOf(tenant)) > new Date()))) {
      // Relying parties must have the new key before it signs (the rotation policy's propagation).
      const ready = propagatedAt(existing?.createdAt ?? new Date(), policyOf(tenant));
      problems.push({ path: w.path, message: `key "${w.kid}" cannot sign before ${ready.toISOString()}: relying parties may not have fetched it yet; import it staged now and choose it then, or rotate to it` });
    } else {
      activations.push({ kid: w.kid, isNew: !existing });
      changes.push({ path: w.path, change: "set", before: current?.kid ?? null, after: w.kid });
    }
  }

  if (problems.length > 0) {
    // A member already refused by the format is not reported a second time by the later checks.
    const reported = problems.filter((p, i) => i < unknown.length + formatProblems.length || !formatProblems.some((f) => p.path === f.path || p.path.startsWith(`${f.path}.`)));
    throw new AppError("validation_failed", `the configuration has ${reported.length} problem(s); nothing was changed`, reported);
  }
  if (options.dryRun || changes.length === 0) return { applied: false, changes };

  await db().$transaction(async (tx) => {
    const scope = { id: tenant.id, slug };
    if (Object.keys(settings).length > 0) {
      // A new version: a tenant or policy form opened before the import is stale.
      await tx.tenant.update({ where: { id: tenant.id }, data: { ...settings, publishVersion: { increment: 1 }, version: { increment: 1 } } });
    }
    const inserted = new Map<string, SigningKeyRow>();
    for (const a of added) inserted.set(a.prepared.kid, await insertPreparedKey(tx, actor, scope, a.prepared, { appId: a.appId, source: "import" }));
    for (const act of activations) {
      const key = inserted.get(act.kid) ?? (await tx.signingKey.findUniqueOrThrow({ where: { tenantId_kid: { tenantId: tenant.id, kid: act.kid } } }));
      await activateInTx(tx, actor, { ...scope, policy: policyOf(tenant) }, key);
    }
    await recordAudit(tx, actor, { action: "tenant.config_import", target: { type: "tenant", id: slug }, tenantSlug: slug, after: { changes } });
  });
  invalidateTenant(slug);
  return { applied: true, changes };
}

/**
 * Parses an import; when members fail the format, parses again without them
 * (an array entry becomes `{}`, and what the later checks say of it again is
 * dropped where the problems are reported) so
 * the other sections can still be checked. No data when the document itself is
 * unusable (not an object, wrong `format`).
 */
function parseLeavingOutBadMembers(input: unknown): { data: TenantConfigImport | null; problems: FieldError[] } {
  const first = tenantConfigImportSchema.safeParse(input);
  if (first.success) return { data: first.data, problems: [] };
  const problems = toFieldErrors(first.error);
  const rest = structuredClone(input) as Record<string, unknown>;
  for (const issue of first.error.issues) {
    const path = issue.path.map(String);
    if (path.length === 0 || path[0] === "format") return { data: null, problems };
    let parent: unknown = rest;
    for (const segment of path.slice(0, -1)) parent = (parent as Record<string, unknown> | undefined)?.[segment];
    if (typeof parent !== "object" || parent === null) continue;
    const last = path[path.length - 1]!;
    if (Array.isArray(parent)) parent[Number(last)] = {};
    else delete (parent as Record<string, unknown>)[last];
  }
  const second = tenantConfigImportSchema.safeParse(rest);
  return { data: second.success ? second.data : null, problems };
}
