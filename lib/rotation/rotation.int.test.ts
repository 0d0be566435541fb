import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant } from "@/lib/tenants/tenants";
import { addSigningKey } from "@/lib/keys/add-key";
import { activateSigningKey } from "@/lib/keys/activate-key";
import { getSigningKey, listSigningKeys } from "@/lib/keys/list-keys";
import { removeSigningKey } from "@/lib/keys/remove-key";
import { revokeSigningKey } from "@/lib/keys/revoke-key";
import { signForTenant } from "@/lib/keys/sign";
import { jwksSnapshot } from "@/lib/protocol/jwks";
import { PUBLISH_SLACK_SECONDS } from "@/lib/rotation/lifecycle";
import { getRotationPolicy, updateRotationPolicy } from "@/lib/rotation/policy";
import { rotateNow } from "@/lib/rotation/rotate";
import { getRotationStatus } from "@/lib/rotation/status";
import { acquireLease, releaseLease, runRotationTick } from "@/lib/rotation/scheduler";
import { ADMIN, actorWith, backdateKey, uniq } from "@/tests/integration/helpers";

const OPERATOR = actorWith("operator");
const VIEWER = actorWith("viewer");

async function tenantWithActiveKey(policy: Record<string, unknown> = {}) {
  const slug = (await createTenant(ADMIN, { slug: uniq("rot").replace(/-/g, "_"), name: "Rotation Bank", profile: "ob-uk" })).slug;
  if (Object.keys(policy).length > 0) await updateRotationPolicy(ADMIN, slug, policy);
  const key = await addSigningKey(OPERATOR, slug, { source: "generate" });
  await activateSigningKey(OPERATOR, slug, key.kid);
  return { slug, first: key.kid };
}

const publishedKids = async (slug: string) => (JSON.parse((await jwksSnapshot(slug)).body.toString()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
const states = async (slug: string) => Object.fromEntries((await listSigningKeys(VIEWER, slug)).map((k) => [k.kid, k.state]));
const later = (seconds: number) => () => new Date(Date.now() + seconds * 1000);

describe("the rotation policy", () => {
  it("starts with the safe defaults", async () => {
    const { slug } = await tenantWithActiveKey();
    expect(await getRotationPolicy(VIEWER, slug)).toMatchObject({
      propagationSeconds: 86_400,
      effectivePropagationSeconds: 86_400 + PUBLISH_SLACK_SECONDS,
      retentionSeconds: 7 * 86_400,
      rotationIntervalDays: 90,
      algorithm: "PS256",
      algorithmIsDefault: true,
      autoActivate: true,
      jwksMaxAgeSeconds: 300,
      expiryWarningDays: 30,
      accessTokenTtlSeconds: 300,
      warnings: [],
    });
  });

  it("is changed by admins only, audited, and refuses propagation shorter than the JWKS max-age", async () => {
    const { slug } = await tenantWithActiveKey();
    await expect(updateRotationPolicy(OPERATOR, slug, { retentionSeconds: 60 })).rejects.toMatchObject({ code: "forbidden" });
    await expect(updateRotationPolicy(ADMIN, slug, { propagationSeconds: 60 })).rejects.toMatchObject({
      code: "validation_failed",
      fieldErrors: [{ path: "propagationSeconds", message: "propagation (60 s) must be at least the JWKS max-age (300 s): relying parties may cache the JWKS that long" }],
    });
    await expect(updateRotationPolicy(ADMIN, slug, { jwksMaxAgeSeconds: 90_000 })).rejects.toMatchObject({ fieldErrors: [{ path: "jwksMaxAgeSeconds" }] });
    await expect(updateRotationPolicy(ADMIN, slug, { algorithm: "ES256" })).rejects.toMatchObject({
      fieldErrors: [{ path: "algorithm", message: "ES256 is not allowed by the tenant's profile (PS256)" }],
    });
    await expect(updateRotationPolicy(ADMIN, slug, { rotationIntervalDays: 1, rotationIntervalSeconds: 60 })).rejects.toMatchObject({ fieldErrors: [{ path: "rotationIntervalSeconds" }] });
    await expect(updateRotationPolicy(ADMIN, slug, { retentionSeconds: -1, unknown: 1 })).rejects.toMatchObject({ code: "validation_failed" });
    expect((await getRotationPolicy(VIEWER, slug)).propagationSeconds).toBe(86_400);

    const updated = await updateRotationPolicy(ADMIN, slug, { jwksMaxAgeSeconds: 60, propagationSeconds: 120, retentionSeconds: 30, rotationIntervalDays: null });
    expect(updated).toMatchObject({ propagationSeconds: 120, retentionSeconds: 30, rotationIntervalSeconds: null, rotationIntervalDays: null });
    expect(updated.warnings[0]).toMatch(/retention \(30 s\) is shorter than the access-token lifetime plus clock skew/);
    const event = await db().auditEvent.findFirstOrThrow({ where: { tenantSlug: slug, action: "tenant.rotation_policy.update" } });
    expect(JSON.parse(event.before!)).toMatchObject({ propagationSeconds: 86_400, rotationIntervalSeconds: 7_776_000 });
    expect(JSON.parse(event.after!)).toMatchObject({ propagationSeconds: 120, rotationIntervalSeconds: null });
    // The JWKS serves the new max-age at once.
    expect((await jwksSnapshot(slug)).headers["cache-control"]).toBe("public, max-age=60");
  });
});

describe("rotate now", () => {
  it("publishes the new key at once, signs with the old one until the planned activation, and refuses a second rotation meanwhile", async () => {
    const { slug, first } = await tenantWithActiveKey();
    const result = await rotateNow(OPERATOR, slug);
    expect(result).toMatchObject({ alg: "PS256", activated: false, autoActivate: true, retiringKid: first });
    expect(Date.parse(result.activatesAt) - Date.parse(result.publishedAt)).toBe((86_400 + PUBLISH_SLACK_SECONDS) * 1000);
    expect(Date.parse(result.retiringKeyRemovedAt!) - Date.parse(result.activatesAt)).toBe(7 * 86_400_000);
    expect(await publishedKids(slug)).toEqual(expect.arrayContaining([first, result.kid]));
    expect((await signForTenant(slug, { sub: "x" })).kid).toBe(first);
    expect(await getSigningKey(VIEWER, slug, result.kid)).toMatchObject({ state: "staged", activatesAt: result.activatesAt });

    await expect(rotateNow(OPERATOR, slug)).rejects.toMatchObject({
      code: "conflict",
      message: `a rotation is already under way: key "${result.kid}" activates at ${result.activatesAt}; activate or retire it first`,
    });
    await expect(rotateNow(VIEWER, slug)).rejects.toMatchObject({ code: "forbidden" });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { tenantSlug: slug, action: "key.rotate" } });
    expect(JSON.parse(audit.after!)).toMatchObject({ kid: result.kid, plan: { activatesAt: result.activatesAt, retiringKid: first } });
  });

  it("rotates to a staged key given by kid: at once when it has propagated", async () => {
    const { slug, first } = await tenantWithActiveKey();
    const staged = await addSigningKey(OPERATOR, slug, { source: "generate", kid: "directory-kid-2" });
    await backdateKey(slug, staged.kid);
    const result = await rotateNow(OPERATOR, slug, { kid: staged.kid });
    expect(result).toMatchObject({ kid: "directory-kid-2", activated: true, retiringKid: first });
    expect(await states(slug)).toEqual({ [first]: "retired", "directory-kid-2": "active" });
    await expect(rotateNow(OPERATOR, slug, { kid: first })).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/only a staged key can be rotated to/) });
    await expect(rotateNow(OPERATOR, slug, { kid: "nope" })).rejects.toMatchObject({ code: "not_found" });
    await expect(rotateNow(OPERATOR, slug, { kid: staged.kid, alg: "PS256" })).rejects.toMatchObject({ fieldErrors: [{ path: "alg" }] });
  });

  it("activates at once in a scope where nothing signs yet", async () => {
    const slug = (await createTenant(ADMIN, { slug: uniq("rot").replace(/-/g, "_"), name: "Empty Bank" })).slug;
    const status = await getRotationStatus(VIEWER, slug);
    expect(status.warnings).toEqual([expect.objectContaining({ level: "critical", kind: "no-active-key" })]);
    const result = await rotateNow(OPERATOR, slug, { alg: "ES256" });
    expect(result).toMatchObject({ alg: "ES256", activated: true, retiringKid: null });
    expect((await signForTenant(slug, { sub: "x" })).kid).toBe(result.kid);
  });
});

describe("the scheduler", () => {
  it("activates the planned key on time, removes the retired key after retention, and stages the next one after the interval — as `system`", async () => {
    const { slug, first } = await tenantWithActiveKey({ jwksMaxAgeSeconds: 0, propagationSeconds: 5, retentionSeconds: 20, rotationIntervalSeconds: 100 });
    const rotation = await rotateNow(OPERATOR, slug);
    const ready = 5 + PUBLISH_SLACK_SECONDS;

    expect((await runRotationTick(later(ready - 2))).transitions.filter((t) => t.tenant === slug)).toEqual([]);
    const activation = (await runRotationTick(later(ready + 1))).transitions.filter((t) => t.tenant === slug);
    expect(activation).toEqual([expect.objectContaining({ type: "activate", kid: rotation.kid })]);
    expect(await states(slug)).toEqual({ [first]: "retired", [rotation.kid]: "active" });
    expect((await signForTenant(slug, { sub: "x" })).kid).toBe(rotation.kid);
    // Retired, still published until the retention passes; not removable by hand before then.
    expect(await publishedKids(slug)).toEqual([rotation.kid, first]);
    await expect(removeSigningKey(OPERATOR, slug, first)).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/stays published until/) });

    // A tick does each transition once, however many run.
    const again = await Promise.all([runRotationTick(later(ready + 2)), runRotationTick(later(ready + 2))]);
    expect(again.flatMap((r) => r.transitions).filter((t) => t.tenant === slug)).toEqual([]);

    const removal = (await runRotationTick(later(ready + 1 + 21))).transitions.filter((t) => t.tenant === slug);
    expect(removal).toEqual([expect.objectContaining({ type: "remove", kid: first })]);
    expect(await publishedKids(slug)).toEqual([rotation.kid]);
    const removed = await db().signingKey.findFirstOrThrow({ where: { kid: first, tenant: { slug } } });
    expect(removed.privateKeySealed).toBeNull();

    const next = (await runRotationTick(later(ready + 1 + 101))).transitions.filter((t) => t.tenant === slug);
    expect(next).toEqual([expect.objectContaining({ type: "rotate", why: expect.stringMatching(/rotation interval has passed/) })]);
    expect(Object.values(await states(slug)).sort()).toEqual(["active", "removed", "staged"]);

    const bySystem = await db().auditEvent.findMany({ where: { tenantSlug: slug, actorLabel: "system" }, orderBy: { at: "asc" } });
    expect(bySystem.map((e) => e.action)).toEqual(["key.activate", "key.remove", "key.create", "key.rotate"]);
  });

  it("gives the lease to one holder at a time, and to another once it expires or is released", async () => {
    const holders = Array.from({ length: 8 }, (_, i) => `${uniq("holder")}-${i}`);
    const at = new Date(Date.now() + 3_600_000); // past any lease other tests left
    const won = await Promise.all(holders.map((h) => acquireLease(h, 5000, at)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const leader = holders[won.indexOf(true)]!;
    const other = holders.find((h) => h !== leader)!;
    expect(await acquireLease(leader, 5000, new Date(at.getTime() + 1000))).toBe(true);
    expect(await acquireLease(other, 5000, new Date(at.getTime() + 2000))).toBe(false);
    expect(await acquireLease(other, 5000, new Date(at.getTime() + 7000))).toBe(true);
    await releaseLease(other);
    expect(await acquireLease(leader, 5000, new Date(at.getTime() + 7001))).toBe(true);
    await releaseLease(leader);
  });
});

describe("emergency revoke", () => {
  it("refuses to revoke the active key without a replacement", async () => {
    const { slug, first } = await tenantWithActiveKey();
    await expect(revokeSigningKey(OPERATOR, slug, first, { reason: "leaked" })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/name a staged key to promote, or ask for a generated replacement/),
    });
    await expect(revokeSigningKey(OPERATOR, slug, first, { reason: "leaked", replacementKid: "x", generateReplacement: true })).rejects.toMatchObject({
      fieldErrors: [{ path: "replacementKid" }],
    });
    await expect(revokeSigningKey(OPERATOR, slug, first, { reason: "leaked", replacementKid: "missing" })).rejects.toMatchObject({ fieldErrors: [{ path: "replacementKid" }] });
    expect(await states(slug)).toEqual({ [first]: "active" });
  });

  it("with a generated replacement: the old key leaves the JWKS at once and never signs again", async () => {
    const { slug, first } = await tenantWithActiveKey();
    const revoked = await revokeSigningKey(OPERATOR, slug, first, { reason: "private key leaked", generateReplacement: true });
    expect(revoked).toMatchObject({ state: "revoked", revokeReason: "private key leaked", replacedBy: expect.any(String) });
    expect(await publishedKids(slug)).toEqual([revoked.replacedBy]);
    expect((await signForTenant(slug, { sub: "x" })).kid).toBe(revoked.replacedBy);
    const row = await db().signingKey.findFirstOrThrow({ where: { kid: first, tenant: { slug } } });
    expect(row.privateKeySealed).toBeNull();
    const actions = (await db().auditEvent.findMany({ where: { tenantSlug: slug }, orderBy: { at: "asc" } })).map((e) => e.action);
    expect(actions.slice(-3)).toEqual(["key.create", "key.activate", "key.revoke"]);
  });

  it("with a staged replacement: promoted before its propagation, and the dashboard shows why", async () => {
    const { slug, first } = await tenantWithActiveKey();
    const staged = await addSigningKey(OPERATOR, slug, { source: "generate" });
    const revoked = await revokeSigningKey(OPERATOR, slug, first, { reason: "HSM compromised", replacementKid: staged.kid });
    expect(revoked.replacedBy).toBe(staged.kid);
    const promoted = await getSigningKey(VIEWER, slug, staged.kid);
    expect(promoted).toMatchObject({ state: "active", forcedReason: `emergency replacement of revoked key "${first}": HSM compromised` });
    const status = await getRotationStatus(VIEWER, slug);
    expect(status.warnings).toContainEqual(expect.objectContaining({ kind: "forced-activation", kid: staged.kid, message: expect.stringMatching(/HSM compromised/) }));
    expect(status.scopes[0]).toMatchObject({ active: { kid: staged.kid, forcedReason: expect.stringMatching(/HSM compromised/) } });
  });
});

describe("forced activation", () => {
  it("activates early with a reason, audited and shown on the status", async () => {
    const { slug } = await tenantWithActiveKey();
    const staged = await addSigningKey(OPERATOR, slug, { source: "generate" });
    const key = await activateSigningKey(OPERATOR, slug, staged.kid, { force: true, reason: "directory deadline tonight" });
    expect(key).toMatchObject({ state: "active", forcedReason: "directory deadline tonight" });
    const event = await db().auditEvent.findFirstOrThrow({ where: { tenantSlug: slug, action: "key.activate", targetId: staged.kid } });
    expect(JSON.parse(event.after!)).toMatchObject({ forced: true, reason: "directory deadline tonight", beforePropagation: true });
    const status = await getRotationStatus(VIEWER, slug);
    expect(status.warnings.map((w) => w.kind)).toContain("forced-activation");
    expect(status.timeline.map((t) => t.kid)).toContain(staged.kid);
  });

  it("activates early without a reason as the API allows, and says so in the audit and on the key", async () => {
    const { slug } = await tenantWithActiveKey();
    const staged = await addSigningKey(OPERATOR, slug, { source: "generate" });
    const key = await activateSigningKey(OPERATOR, slug, staged.kid, { force: true });
    expect(key).toMatchObject({ state: "active", forcedReason: "no reason given" });
    const event = await db().auditEvent.findFirstOrThrow({ where: { tenantSlug: slug, action: "key.activate", targetId: staged.kid } });
    expect(JSON.parse(event.after!)).toMatchObject({ forced: true, reason: "no reason given", beforePropagation: true });
    // A reason that is given must say something.
    const next = await addSigningKey(OPERATOR, slug, { source: "generate" });
    await expect(activateSigningKey(OPERATOR, slug, next.kid, { force: true, reason: " " })).rejects.toMatchObject({ fieldErrors: [{ path: "reason" }] });
  });
});
