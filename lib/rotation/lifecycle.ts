/**
 * The signing-key lifecycle and the rotation plan, as pure functions of the
 * keys, the tenant's policy and the time: which transitions are allowed (and
 * why not), when a key may sign, when a retired key may leave the JWKS, and
 * what the scheduler must do now. The services (lib/keys, lib/rotation) apply
 * these inside their transactions; the console draws them.
 *
 *   staged ──activate──▶ active ──(successor activates)──▶ retired ──retention──▶ removed
 *     │                    │                                  │
 *     └──────revoke────────┴──────────── revoke ──────────────┘──▶ revoked
 */
import { POLL_MS } from "@/lib/protocol/poll-interval";

export type KeyState = "staged" | "active" | "retired" | "removed" | "revoked";

/**
 * Added to every propagation time: other instances see a change within
 * {@link POLL_MS} and a relying party may fetch from one that has not yet,
 * so a key counts as published only that much later than its commit.
 */
export const PUBLISH_SLACK_SECONDS = Math.ceil(POLL_MS / 1000) + 1;
/** The clock skew relying parties usually tolerate on `exp`. */
export const CLOCK_SKEW_SECONDS = 60;

export interface RotationPolicy {
  propagationSeconds: number;
  retentionSeconds: number;
  /** null: no automatic rotation */
  rotationIntervalSeconds: number | null;
  autoActivate: boolean;
  expiryWarningDays: number;
  accessTokenTtlSeconds: number;
  jwksMaxAgeSeconds: number;
}

export interface LifecycleKey {
  kid: string;
  state: string;
  appId: string | null;
  source: string;
  createdAt: Date;
  activatedAt: Date | null;
  retiredAt: Date | null;
  activatesAt: Date | null;
  removesAt: Date | null;
  certNotBefore: Date | null;
  certNotAfter: Date | null;
  certSubject?: string | null;
  certIssuer?: string | null;
  hasPrivateKey: boolean;
}

const S = 1000;
const DAY = 86_400 * S;
const at = (d: Date, ms: number) => new Date(d.getTime() + ms);

/** How long a key must be published before it may sign: the policy's propagation, never less than the JWKS max-age, plus the slack. */
export function effectivePropagationSeconds(policy: Pick<RotationPolicy, "propagationSeconds" | "jwksMaxAgeSeconds">): number {
  return Math.max(policy.propagationSeconds, policy.jwksMaxAgeSeconds) + PUBLISH_SLACK_SECONDS;
}

/** When a key published (created) at `publishedAt` is in every relying party's cache. */
export function propagatedAt(publishedAt: Date, policy: Pick<RotationPolicy, "propagationSeconds" | "jwksMaxAgeSeconds">): Date {
  return at(publishedAt, effectivePropagationSeconds(policy) * S);
}

/** When a key retired at `retiredAt` may leave the JWKS. */
export function removalAt(retiredAt: Date, policy: Pick<RotationPolicy, "retentionSeconds">): Date {
  return at(retiredAt, policy.retentionSeconds * S);
}

/** Why this key cannot sign at `now` (its certificate window), or null. */
export function certificateRefusal(key: Pick<LifecycleKey, "certNotBefore" | "certNotAfter">, now: Date): string | null {
  if (key.certNotAfter && key.certNotAfter <= now) return `its certificate expired on ${key.certNotAfter.toISOString()}; attach the renewed certificate first`;
  if (key.certNotBefore && key.certNotBefore > now) return `its certificate is not valid before ${key.certNotBefore.toISOString()}`;
  return null;
}

/**
 * Why `key` may not become its scope's signing key now, or null.
 * A staged key must have been published for the propagation time first,
 * unless nothing signs in its scope yet (no relying party can hold a token
 * it would fail) or the activation is forced. A retired key was published
 * all along, so it may come back at once (a rollback).
 */
export function activationRefusal(
  key: LifecycleKey,
  ctx: { now: Date; policy: RotationPolicy; scopeHasActive: boolean; force: boolean },
): string | null {
  if (key.state !== "staged" && key.state !== "retired") return "only a staged or retired key can be activated";
  if (!key.hasPrivateKey) return "its private key is gone";
  const cert = certificateRefusal(key, ctx.now);
  if (cert) return `it cannot sign: ${cert}`;
  if (key.state === "staged" && ctx.scopeHasActive && !ctx.force) {
    const ready = propagatedAt(key.createdAt, ctx.policy);
    if (ready > ctx.now) {
      return `relying parties may not have fetched it yet: it was published at ${key.createdAt.toISOString()} and the propagation time ends at ${ready.toISOString()}; wait until then, or force the activation with a reason`;
    }
  }
  return null;
}

/** Why `key` may not be retired, or null. */
export function retireRefusal(key: LifecycleKey): string | null {
  if (key.state === "active") return "activate the key that replaces it; that retires this one";
  if (key.state !== "staged") return "only a staged key can be retired";
  return null;
}

/**
 * Why `key` may not be removed at `now`, or null. A retired key that signed
 * stays published until its retention passes: tokens it signed may still be
 * in use (revoke it instead if it is compromised).
 */
export function removalRefusal(key: LifecycleKey, now: Date): string | null {
  if (key.state === "active") return "activate another key first; the active key cannot be removed";
  if (key.state === "revoked") return "it is already gone from the JWKS";
  if (key.state === "retired" && key.activatedAt && key.removesAt && key.removesAt > now) {
    return `tokens it signed may still be in use: it stays published until ${key.removesAt.toISOString()} (the retention time); revoke it if it is compromised`;
  }
  return null;
}

/** Why `key` may not be revoked as asked, or null. The active key needs a replacement. */
export function revocationRefusal(key: LifecycleKey, ctx: { replacement: LifecycleKey | null | "generate"; now: Date }): string | null {
  if (key.state === "removed") return "it was removed: it is no longer published and its private part is destroyed";
  if (key.state !== "active") return null;
  const r = ctx.replacement;
  if (r === null) return "it is the active key: name a staged key to promote, or ask for a generated replacement";
  if (r === "generate") return null;
  if (r.kid === key.kid) return "a key cannot replace itself";
  if (r.appId !== key.appId) return `the replacement "${r.kid}" belongs to another scope`;
  if (r.state !== "staged") return `the replacement "${r.kid}" is ${r.state}; only a staged key can replace it`;
  if (!r.hasPrivateKey) return `the replacement "${r.kid}" has no private key`;
  const cert = certificateRefusal(r, ctx.now);
  return cert ? `the replacement "${r.kid}" cannot sign: ${cert}` : null;
}

/** Whether an active key's certificate needs attention within the warning window. */
export function expiresSoon(key: Pick<LifecycleKey, "certNotAfter">, policy: Pick<RotationPolicy, "expiryWarningDays">, now: Date): boolean {
  return key.certNotAfter !== null && key.certNotAfter.getTime() - now.getTime() < policy.expiryWarningDays * DAY;
}

/**
 * Whether a certificate comes from someone else (a directory or CA): then only
 * its owner can renew it, and a new key of ours would lack it. A self-signed
 * certificate (issuer = subject) or none: a generated successor does as well.
 */
export function issuedByDirectory(key: Pick<LifecycleKey, "certSubject" | "certIssuer" | "certNotAfter">): boolean {
  return key.certNotAfter !== null && !!key.certIssuer && key.certIssuer !== key.certSubject;
}

export type DueTransition =
  | { type: "activate"; kid: string; appId: string | null; why: string; force?: boolean }
  | { type: "remove"; kid: string; appId: string | null; why: string }
  | { type: "rotate"; appId: string | null; why: string };

/**
 * What the scheduler must do at `now` in one scope (the keys of one tenant and
 * app), in order: activate a planned key whose time has come (or any
 * propagated key when the active one can no longer sign), remove retired keys
 * whose retention passed, and stage a new key when the active one is due for
 * rotation or its self-signed certificate nears expiry.
 */
export function dueTransitions(keys: LifecycleKey[], policy: RotationPolicy, now: Date): DueTransition[] {
  const due: DueTransition[] = [];
  const active = keys.find((k) => k.state === "active") ?? null;
  const staged = keys.filter((k) => k.state === "staged").sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const ctx = { now, policy, scopeHasActive: active !== null, force: false };
  const planned = staged.find((k) => k.activatesAt !== null) ?? null;
  const activeCannotSign = active !== null && (!active.hasPrivateKey || certificateRefusal(active, now) !== null);

  let activating: LifecycleKey | null = null;
  if (planned && policy.autoActivate && planned.activatesAt! <= now && activationRefusal(planned, ctx) === null) {
    activating = planned;
    due.push({ type: "activate", kid: planned.kid, appId: planned.appId, why: `planned activation at ${planned.activatesAt!.toISOString()}` });
  } else if (activeCannotSign) {
    const ready = staged.find((k) => activationRefusal(k, ctx) === null);
    if (ready) {
      activating = ready;
      due.push({ type: "activate", kid: ready.kid, appId: ready.appId, why: `the active key "${active!.kid}" can no longer sign: ${certificateRefusal(active!, now) ?? "its private key is gone"}` });
    }
  }

  for (const k of keys) {
    if (k.state === "retired" && k.removesAt && k.removesAt <= now) {
      due.push({ type: "remove", kid: k.kid, appId: k.appId, why: `retention ended at ${k.removesAt.toISOString()}` });
    }
  }

  // A new key is staged only when none is on its way already.
  if (active && !activating && !planned) {
    const next = nextAutomaticRotation(active, policy);
    if (next && next <= now) {
      due.push({ type: "rotate", appId: active.appId, why: `the active key "${active.kid}" was activated at ${active.activatedAt?.toISOString()}; the rotation interval has passed` });
    } else if (expiresSoon(active, policy, now) && !issuedByDirectory(active)) {
      due.push({ type: "rotate", appId: active.appId, why: `the certificate of the active key "${active.kid}" expires at ${active.certNotAfter!.toISOString()}` });
    }
  }
  return due;
}

/** When the active key is due for automatic rotation, or null (off, or not known). */
export function nextAutomaticRotation(active: Pick<LifecycleKey, "activatedAt">, policy: Pick<RotationPolicy, "rotationIntervalSeconds">): Date | null {
  if (policy.rotationIntervalSeconds === null || !active.activatedAt) return null;
  return at(active.activatedAt, policy.rotationIntervalSeconds * S);
}

export interface PlannedEvent {
  at: Date;
  kind: "activation" | "removal" | "rotation" | "certificate-expiry";
  kid: string | null;
  appId: string | null;
  label: string;
}

/** The events ahead for a scope's keys, soonest first (the timeline and the dashboard). */
export function plannedEvents(keys: LifecycleKey[], policy: RotationPolicy, now: Date): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const active = keys.find((k) => k.state === "active") ?? null;
  const pending = keys.find((k) => k.state === "staged" && k.activatesAt !== null) ?? null;
  for (const k of keys) {
    if (k.state === "staged" && k.activatesAt) {
      events.push({
        at: k.activatesAt,
        kind: "activation",
        kid: k.kid,
        appId: k.appId,
        label: policy.autoActivate ? `"${k.kid}" starts signing` : `"${k.kid}" may be activated (automatic activation is off)`,
      });
    }
    if (k.state === "retired" && k.removesAt) events.push({ at: k.removesAt, kind: "removal", kid: k.kid, appId: k.appId, label: `"${k.kid}" leaves the JWKS` });
    if ((k.state === "active" || k.state === "staged") && k.certNotAfter && k.certNotAfter > now) {
      events.push({ at: k.certNotAfter, kind: "certificate-expiry", kid: k.kid, appId: k.appId, label: `the certificate of "${k.kid}" expires` });
    }
  }
  if (active && pending) {
    // The current key retires when its successor activates, and leaves after the retention.
    events.push({ at: removalAt(pending.activatesAt!, policy), kind: "removal", kid: active.kid, appId: active.appId, label: `"${active.kid}" leaves the JWKS (after retiring at the next activation)` });
  }
  if (active && !pending) {
    const next = nextAutomaticRotation(active, policy);
    if (next) events.push({ at: next < now ? now : next, kind: "rotation", kid: null, appId: active.appId, label: "automatic rotation stages a new key" });
  }
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}

export interface RotationPlan {
  publishedAt: Date;
  activatesAt: Date;
  retiringKid: string | null;
  removesRetiringAt: Date | null;
}

/** What "rotate now" would do for a scope: publish at once, sign after propagation, retire the current key then, remove it after retention. */
export function planRotation(now: Date, policy: RotationPolicy, active: Pick<LifecycleKey, "kid"> | null, publishedAt: Date = now): RotationPlan {
  // A staged key published long ago has propagated already: it activates now.
  const ready = propagatedAt(publishedAt, policy);
  const activatesAt = ready > now ? ready : now;
  return { publishedAt, activatesAt, retiringKid: active?.kid ?? null, removesRetiringAt: active ? removalAt(activatesAt, policy) : null };
}

/** Warnings about a policy itself (the console shows them; none is an error). */
export function policyWarnings(policy: RotationPolicy): string[] {
  const warnings: string[] = [];
  const needed = policy.accessTokenTtlSeconds + CLOCK_SKEW_SECONDS;
  if (policy.retentionSeconds < needed) {
    warnings.push(
      `retention (${policy.retentionSeconds} s) is shorter than the access-token lifetime plus clock skew (${needed} s): tokens signed just before a rotation may fail verification once their key is removed`,
    );
  }
  if (policy.rotationIntervalSeconds !== null && policy.rotationIntervalSeconds < effectivePropagationSeconds(policy) + policy.retentionSeconds) {
    warnings.push("the rotation interval is shorter than propagation plus retention: more than two keys will be published at a time");
  }
  if (policy.propagationSeconds < 3600) warnings.push(`propagation of ${policy.propagationSeconds} s is meant for tests and drills; relying parties that cache longer than the JWKS max-age will miss new keys`);
  return warnings;
}
