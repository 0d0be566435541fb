import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant, getTenant, updateTenant } from "@/lib/tenants/tenants";
import { createClient, getClient, updateClient } from "@/lib/clients/clients";
import { addClientKey } from "@/lib/clients/client-keys";
import { createIdentityProvider, getIdentityProvider, updateIdentityProvider } from "@/lib/idps/identity-providers";
import { createUser, getUser, updateUser } from "@/lib/auth/users";
import { getRotationPolicy, updateRotationPolicy } from "@/lib/rotation/policy";
import { StaleVersionError } from "@/lib/concurrency/versions";
import { importTenantConfig } from "@/lib/tenants/config-import";
import { ADMIN, actorWith, uniq } from "@/tests/integration/helpers";

const ALICE = actorWith("admin", "alice@bank.test");
const BOB = actorWith("admin", "bob@bank.test");

async function tenant(): Promise<string> {
  return (await createTenant(ADMIN, { slug: uniq("occ").replace(/-/g, "_"), name: "Versions Bank" })).slug;
}

function rsaJwk(): Record<string, unknown> {
  return { ...(generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" }) as Record<string, unknown>), kid: uniq("k") };
}

async function auditCount(type: string, id: string): Promise<number> {
  return db().auditEvent.count({ where: { targetType: type, targetId: id } });
}

async function refusal(promise: Promise<unknown>): Promise<StaleVersionError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the edit to be refused");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StaleVersionError);
  return error as StaleVersionError;
}

/**
 * One editable object: how to make it, read it, edit it (as two different
 * admins with different values) and tell which edit is stored.
 */
interface Case {
  name: string;
  audit: { type: string };
  make: () => Promise<{ id: string; slug: string }>;
  read: (o: { id: string; slug: string }) => Promise<{ version: number; value: unknown }>;
  edit: (o: { id: string; slug: string }, actor: typeof ALICE, value: string, expected?: number[]) => Promise<{ version: number }>;
  auditId: (o: { id: string; slug: string }) => string;
}

const cases: Case[] = [
  {
    name: "client",
    audit: { type: "client" },
    make: async () => {
      const slug = await tenant();
      const c = await createClient(ADMIN, slug, { name: "Original TPP", tokenEndpointAuthMethod: "client_secret_basic", grantTypes: ["client_credentials"] });
      return { id: c.clientId, slug };
    },
    read: async (o) => {
      const c = await getClient(ADMIN, o.slug, o.id);
      return { version: c.version, value: c.name };
    },
    edit: (o, actor, value, expected) => updateClient(actor, o.slug, o.id, { name: value }, { expectedVersion: expected }),
    auditId: (o) => o.id,
  },
  {
    name: "identity provider",
    audit: { type: "identity_provider" },
    make: async () => {
      const slug = await tenant();
      const idp = await createIdentityProvider(ADMIN, slug, { name: `https://idp.${uniq("i")}.example`, jwks: { keys: [rsaJwk()] } });
      return { id: idp.id, slug };
    },
    read: async (o) => {
      const idp = await getIdentityProvider(ADMIN, o.slug, o.id);
      return { version: idp.version, value: idp.audience };
    },
    edit: (o, actor, value, expected) => updateIdentityProvider(actor, o.slug, o.id, { audience: `https://as.example/${value}` }, { expectedVersion: expected }),
    auditId: (o) => o.id,
  },
  {
    name: "tenant",
    audit: { type: "tenant" },
    make: async () => {
      const slug = await tenant();
      return { id: slug, slug };
    },
    read: async (o) => {
      const t = await getTenant(ADMIN, o.slug);
      return { version: t.version, value: t.name };
    },
    edit: (o, actor, value, expected) => updateTenant(actor, o.slug, { name: value }, { expectedVersion: expected }),
    auditId: (o) => o.slug,
  },
  {
    name: "rotation policy",
    audit: { type: "tenant" },
    make: async () => {
      const slug = await tenant();
      return { id: slug, slug };
    },
    read: async (o) => {
      const p = await getRotationPolicy(ADMIN, o.slug);
      return { version: p.version, value: p.retentionSeconds };
    },
    edit: (o, actor, value, expected) =>
      updateRotationPolicy(actor, o.slug, { retentionSeconds: 86_400 + value.length * 1000 }, { expectedVersion: expected }),
    auditId: (o) => o.slug,
  },
  {
    name: "user",
    audit: { type: "user" },
    make: async () => {
      const u = await createUser(ADMIN, { email: `${uniq("u")}@bank.test`, name: "Original Name", role: "viewer", password: "correct-horse-battery-9" });
      return { id: u.id, slug: "" };
    },
    read: async (o) => {
      const u = await getUser(ADMIN, o.id);
      return { version: u.version, value: u.name };
    },
    edit: (o, actor, value, expected) => updateUser(actor, o.id, { name: value }, { expectedVersion: expected }),
    auditId: (o) => o.id,
  },
];

describe.each(cases)("editing a $name under optimistic concurrency", (c) => {
  it("refuses an edit prepared against an older version: nothing stored, nothing audited, the message names who changed it", async () => {
    const o = await c.make();
    const opened = await c.read(o);
    const afterAlice = await c.edit(o, ALICE, "alice-edit", [opened.version]);
    expect(afterAlice.version).toBe(opened.version + 1);
    const stored = await c.read(o);
    const events = await auditCount(c.audit.type, c.auditId(o));

    const error = await refusal(c.edit(o, BOB, "bob-edit", [opened.version]));
    expect(error.code).toBe("precondition_failed");
    expect(error.status).toBe(412);
    expect(error.current.version).toBe(opened.version + 1);
    expect(error.current.by).toBe("alice@bank.test");
    expect(error.message).toContain("was changed by alice@bank.test");
    expect(error.message).toContain("nothing was stored");
    expect(await c.read(o)).toEqual(stored);
    expect(await auditCount(c.audit.type, c.auditId(o))).toBe(events);
  });

  it("lets exactly one of two racing edits of the same version through, and stores the winner's", async () => {
    const o = await c.make();
    const opened = await c.read(o);
    const events = await auditCount(c.audit.type, c.auditId(o));
    const results = await Promise.allSettled([c.edit(o, ALICE, "alice-edit", [opened.version]), c.edit(o, BOB, "bob-edit", [opened.version])]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(StaleVersionError);
    const winner = results[0]!.status === "fulfilled" ? "alice-edit" : "bob-edit";
    // Replay the winner's edit on a twin object to learn the value it stores.
    const twin = await c.make();
    await c.edit(twin, ALICE, winner, undefined);
    const stored = await c.read(o);
    expect(stored.version).toBe(opened.version + 1);
    expect(stored.value).toEqual((await c.read(twin)).value);
    expect(await auditCount(c.audit.type, c.auditId(o))).toBe(events + 1);
  });

  it("applies an edit without a precondition to the current version, and accepts a list holding it", async () => {
    const o = await c.make();
    const opened = await c.read(o);
    await c.edit(o, ALICE, "first", undefined);
    await c.edit(o, BOB, "second", undefined);
    expect((await c.read(o)).version).toBe(opened.version + 2);
    await c.edit(o, ALICE, "third", [opened.version, opened.version + 2]);
    expect((await c.read(o)).version).toBe(opened.version + 3);
    await refusal(c.edit(o, BOB, "fourth", []));
  });
});

describe("the audit of an edit", () => {
  it("records the version transition in its before and after", async () => {
    const slug = await tenant();
    const c = await createClient(ADMIN, slug, { name: "Audited TPP", tokenEndpointAuthMethod: "client_secret_basic", grantTypes: ["client_credentials"] });
    await updateClient(ALICE, slug, c.clientId, { name: "Audited TPP 2" }, { expectedVersion: [c.version] });
    const event = await db().auditEvent.findFirstOrThrow({ where: { targetType: "client", targetId: c.clientId, action: "client.update" } });
    expect(JSON.parse(event.before!)).toMatchObject({ name: "Audited TPP", version: c.version });
    expect(JSON.parse(event.after!)).toMatchObject({ name: "Audited TPP 2", version: c.version + 1 });
  });
});

describe("adding keys to a client at once", () => {
  it("keeps both keys: the JWKS is never read, changed and written over another change", async () => {
    const slug = await tenant();
    const c = await createClient(ADMIN, slug, { name: "Keys TPP", tokenEndpointAuthMethod: "private_key_jwt", grantTypes: ["client_credentials"], jwks: { keys: [rsaJwk()] } });
    const [a, b] = [rsaJwk(), rsaJwk()];
    await Promise.all([addClientKey(ALICE, slug, c.clientId, { jwk: a }), addClientKey(BOB, slug, c.clientId, { jwk: b })]);
    const after = await getClient(ADMIN, slug, c.clientId);
    expect(after.jwks?.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([a.kid, b.kid]));
    expect(after.jwks?.keys).toHaveLength(3);
    expect(after.version).toBe(c.version + 2);
  });
});

describe("a configuration import", () => {
  it("moves the tenant's version: a tenant or policy form opened before it is stale", async () => {
    const slug = await tenant();
    const opened = await getTenant(ADMIN, slug);
    await importTenantConfig(ALICE, slug, { format: "keyward.tenant-config/v1", tenant: { name: "Imported Bank" } });
    const error = await refusal(updateTenant(BOB, slug, { name: "Bob's Bank" }, { expectedVersion: [opened.version] }));
    expect(error.current.by).toBe("alice@bank.test");
    await refusal(updateRotationPolicy(BOB, slug, { retentionSeconds: 90_000 }, { expectedVersion: [opened.version] }));
    expect((await getTenant(ADMIN, slug)).name).toBe("Imported Bank");
  });
});
