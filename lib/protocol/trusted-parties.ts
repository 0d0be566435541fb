import { createLocalJWKSet, type JWTVerifyGetKey } from "jose";
import { db } from "@/lib/db";
import type { ClientRow } from "@/lib/clients/clients";
import { toIdpView } from "@/lib/idps/identity-providers";
import { remoteJwksCache } from "@/lib/idps/jwks-cache";
import type { IdpView } from "@/lib/idps/schemas";
import type { TenantInfo } from "@/lib/protocol/published-state";
import { localTrustChanges } from "@/lib/protocol/trust-version";

/**
 * The clients and identity providers the token endpoint authenticates and
 * trusts, kept in memory per tenant with what is derived from their rows (the
 * parsed grant types and scopes, the IdP's view, a client's key set with its
 * imported keys), so a token request reads no row and imports no key.
 *
 * What is held is dropped as soon as it may be stale: when the tenant's
 * `trustVersion` moves (every change to a client or IdP bumps it in its
 * transaction; other instances' changes are seen within POLL_MS, like the
 * JWKS's) and when this process changes them (lib/protocol/trust-version.ts).
 * A suspended client is held as it is: the caller checks its status.
 *
 * State lives on `globalThis` (the custom server and Next's bundle share it).
 */
const MAX_CLIENTS_PER_TENANT = 10_000;

export interface TrustedClient {
  readonly clientId: string;
  readonly status: string;
  readonly tokenEndpointAuthMethod: string;
  readonly clientSecretHash: string | null;
  /** Registered (RFC 7591 §2): its client assertions must be signed with this alg. */
  readonly tokenEndpointAuthSigningAlg: string | null;
  /** Its keys (private_key_jwt): the jwks_uri through the remote cache, or the inline JWKS with each key imported once. */
  readonly keys: JWTVerifyGetKey;
  readonly grantTypes: ReadonlySet<string>;
  /** Space-separated, as registered. */
  readonly scope: string;
  readonly scopes: ReadonlySet<string>;
  readonly tlsClientAuthSubjectDn: string | null;
}

export interface TrustedIdp {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly refuseJtiReuse: boolean;
  /** Built once, so the IdP's inline keys are imported once (lib/idps/verify-assertion.ts). */
  readonly view: IdpView;
}

interface Held {
  /** `Tenant.trustVersion` when this was started: what it holds is at least that new. */
  version: number;
  /** This process's own changes to the tenant's clients and IdPs, counted when this was started. */
  local: number;
  clients: Map<string, TrustedClient>;
  clientLoads: Map<string, Promise<TrustedClient | null>>;
  idps: Promise<ReadonlyMap<string, TrustedIdp>> | null;
}

const g = globalThis as unknown as { __keywardTrusted?: Map<string, Held>; __keywardTrustedLoads?: { count: number } };
const byTenant = (g.__keywardTrusted ??= new Map<string, Held>());
const loads = (g.__keywardTrustedLoads ??= { count: 0 });

/** What is held for a tenant, started afresh when a change has been seen since it was started. */
function held(tenant: TenantInfo): Held {
  const local = localTrustChanges(tenant.slug);
  let h = byTenant.get(tenant.id);
  if (!h || h.version !== tenant.trustVersion || h.local !== local) {
    // A read still in flight completes into the replaced object, which nothing reads any more.
    h = { version: tenant.trustVersion, local, clients: new Map(), clientLoads: new Map(), idps: null };
    byTenant.set(tenant.id, h);
  }
  return h;
}

function trustedClient(row: ClientRow): TrustedClient {
  return {
    clientId: row.clientId,
    status: row.status,
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod,
    clientSecretHash: row.clientSecretHash,
    tokenEndpointAuthSigningAlg: row.tokenEndpointAuthSigningAlg,
    keys: row.jwksUri
      ? (remoteJwksCache().resolver(row.jwksUri) as JWTVerifyGetKey)
      : createLocalJWKSet(JSON.parse(row.jwks ?? '{"keys":[]}') as Parameters<typeof createLocalJWKSet>[0]),
    grantTypes: new Set(JSON.parse(row.grantTypes) as string[]),
    scope: row.scope,
    scopes: new Set(row.scope.split(" ").filter(Boolean)),
    tlsClientAuthSubjectDn: row.tlsClientAuthSubjectDn,
  };
}

/**
 * A client of the tenant by client_id, from memory when held (one read per
 * client and change otherwise; concurrent misses share it), or null when the
 * tenant has no such client.
 */
export async function findTrustedClient(tenant: TenantInfo, clientId: string): Promise<TrustedClient | null> {
  const h = held(tenant);
  const hit = h.clients.get(clientId);
  if (hit) return hit;
  let load = h.clientLoads.get(clientId);
  if (!load) {
    loads.count++;
    load = db()
      .client.findUnique({ where: { clientId } })
      .then((row) => {
        if (!row || row.tenantId !== tenant.id) return null;
        const client = trustedClient(row);
        if (h.clients.size >= MAX_CLIENTS_PER_TENANT) h.clients.delete(h.clients.keys().next().value!);
        h.clients.set(clientId, client);
        return client;
      })
      .finally(() => h.clientLoads.delete(clientId));
    h.clientLoads.set(clientId, load);
  }
  return load;
}

/** The tenant's identity provider whose name is `issuer`, or null; all of a tenant's IdPs are read at once. */
export async function findTrustedIdp(tenant: TenantInfo, issuer: string): Promise<TrustedIdp | null> {
  const h = held(tenant);
  if (!h.idps) {
    loads.count++;
    const load = db()
      .identityProvider.findMany({ where: { tenantId: tenant.id } })
      .then((rows) => new Map(rows.map((row) => [row.name, { id: row.id, name: row.name, enabled: row.enabled, refuseJtiReuse: row.refuseJtiReuse, view: toIdpView(row) }])));
    // A failed read is not kept: the next request tries again.
    load.catch(() => {
      if (h.idps === load) h.idps = null;
    });
    h.idps = load;
  }
  return (await h.idps).get(issuer) ?? null;
}

/** Reads of client and IdP rows this process has made (tests: a request served from memory reads none). */
export function trustedPartyReads(): number {
  return loads.count;
}
