import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant, getTenant, listTenants, updateTenant } from "@/lib/tenants/tenants";
import { ADMIN, actorWith, uniq } from "@/tests/integration/helpers";

describe("tenants", () => {
  it("creates a tenant with its issuer and endpoints, audited", async () => {
    const slug = uniq("acme").replace(/-/g, "_");
    const t = await createTenant(ADMIN, { slug, name: "Acme Bank", profile: "open-finance-brazil" });
    expect(t).toMatchObject({
      slug,
      name: "Acme Bank",
      profile: "open-finance-brazil",
      issuer: `http://keyward.test/${slug}`,
      jwksUri: `http://keyward.test/${slug}/oauth2/v1/certs`,
      tokenEndpoint: `http://keyward.test/${slug}/oauth2/token`,
      discoveryUrl: `http://keyward.test/${slug}/.well-known/openid-configuration`,
    });
    expect((await listTenants(actorWith("viewer"))).map((x) => x.slug)).toContain(slug);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "tenant.create", tenantSlug: slug } });
    expect(JSON.parse(event.after!)).toEqual({ slug, name: "Acme Bank", profile: "open-finance-brazil", jwksMaxAgeSeconds: 300, version: 1 });
  });

  it("refuses bad, reserved and duplicate slugs, naming the field", async () => {
    const cases: [unknown, string][] = [
      [{ slug: "Bad Slug!", name: "x" }, "may contain only lowercase letters"],
      [{ slug: "api", name: "x" }, "is reserved"],
      [{ slug: "a", name: "x" }, "at least 2"],
      [{ slug: "okslug", name: "" }, "is required"],
      [{ slug: "okslug2", name: "x", profile: "ob-mars" }, "Invalid option"],
    ];
    for (const [input, message] of cases) {
      const error = (await createTenant(ADMIN, input).catch((e: unknown) => e)) as { code: string; fieldErrors: { message: string }[] };
      expect(error.code).toBe("validation_failed");
      expect(error.fieldErrors.map((f) => f.message).join(" ")).toContain(message);
    }
    const slug = uniq("dup");
    await createTenant(ADMIN, { slug, name: "One" });
    await expect(createTenant(ADMIN, { slug, name: "Two" })).rejects.toMatchObject({ code: "conflict", fieldErrors: [{ path: "slug" }] });
    expect(await db().tenant.count({ where: { slug } })).toBe(1);
  });

  it("edits name and profile but never the slug; only admins change tenants", async () => {
    const slug = uniq("edit");
    await createTenant(ADMIN, { slug, name: "Before" });
    const after = await updateTenant(ADMIN, slug, { name: "After", profile: "ob-uk", slug: "other" });
    expect(after).toMatchObject({ slug, name: "After", profile: "ob-uk" });
    await expect(updateTenant(actorWith("operator"), slug, { name: "x" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createTenant(actorWith("operator"), { slug: uniq("op"), name: "x" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(getTenant(actorWith("viewer"), "no-such-tenant")).rejects.toMatchObject({ code: "not_found", status: 404 });
  });
});
