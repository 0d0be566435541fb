import fs from "node:fs";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { contract, type RouteSpec } from "@/lib/api/contract";
import { openApiDocument } from "@/lib/api/openapi";
import { callRoute, tokenFor } from "./helpers";

const ROOT = process.cwd();
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Route files under app/api/v1 and the methods they export, as "METHOD /api/v1/…" with {param} segments. */
function routeFiles(): { key: string; file: string }[] {
  const out: { key: string; file: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const rel = path.relative(path.join(ROOT, "app"), path.dirname(full)).split(path.sep);
        const urlPath = `/${rel.map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/")}`;
        const source = fs.readFileSync(full, "utf8");
        for (const m of METHODS) {
          if (new RegExp(`export (const|async function) ${m}\\b`).test(source)) out.push({ key: `${m} ${urlPath}`, file: full });
        }
      }
    }
  };
  walk(path.join(ROOT, "app/api/v1"));
  return out;
}

/** Calls a route with placeholder path parameters, an empty JSON body where it takes one, and `headers` for credentials. */
function call(spec: RouteSpec, headers: Record<string, string>): Promise<Response> {
  const params: Record<string, string> = {};
  for (const m of spec.path.matchAll(/\{(\w+)\}/g)) params[m[1]!] = m[1] === "tenant" ? "default" : "00000000-0000-7000-8000-000000000000";
  return callRoute(spec, params, { headers, body: spec.body ? {} : undefined });
}

const specs = Object.entries(contract) as [string, RouteSpec][];

describe("the /api/v1 contract", () => {
  it("lists every route file and method, and every entry has its route file", () => {
    const files = routeFiles().map((r) => r.key).sort();
    const documented = specs.map(([, s]) => `${s.method} ${s.path}`).sort();
    expect(files).toEqual(documented);
  });

  it("produces a valid OpenAPI 3.1 document with every route and resolvable refs", () => {
    const doc = openApiDocument("http://keyward.test", "test") as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    for (const [name, spec] of specs) {
      const op = doc.paths[spec.path]?.[spec.method.toLowerCase()];
      expect(op?.operationId, `${spec.method} ${spec.path}`).toBe(name);
      expect(op?.responses[String(spec.success.status)]).toBeDefined();
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(doc.components.schemas[ref], `component ${ref}`).toBeDefined();
    expect(JSON.stringify(doc)).not.toContain("#/$defs/");
  });

  it("validates against the OpenAPI 3.1 schema", async () => {
    const doc = openApiDocument("http://keyward.test", "test");
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    // The validator does refuse a broken document (so the line above means something).
    const broken = structuredClone(doc) as { paths: Record<string, Record<string, { responses: unknown }>> };
    broken.paths["/api/v1/health"]!.get!.responses = "none";
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow();
  });
});

describe("every protected route refuses missing or insufficient credentials", () => {
  const tokens: Partial<Record<"viewer" | "operator", string>> = {};
  beforeAll(async () => {
    tokens.viewer = await tokenFor("viewer");
    tokens.operator = await tokenFor("operator");
  });

  for (const [name, spec] of specs.filter(([, s]) => s.role !== "none")) {
    it(`${spec.method} ${spec.path} answers 401 problem+json without credentials (${name})`, async () => {
      const res = await call(spec, {});
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
      const body = (await res.json()) as { status: number; title: string; detail: string };
      expect(body.status).toBe(401);
      expect(body.detail).toMatch(/Bearer/);
    });

    it(`${spec.method} ${spec.path} answers 401 for a token that does not exist (${name})`, async () => {
      const res = await call(spec, { authorization: "Bearer kw_thisTokenDoesNotExist0000000000000000000000" });
      expect(res.status).toBe(401);
    });

    const lower = spec.role === "admin" ? (["viewer", "operator"] as const) : spec.role === "operator" ? (["viewer"] as const) : [];
    for (const role of lower) {
      it(`${spec.method} ${spec.path} answers 403 for a ${role} token (needs ${spec.role})`, async () => {
        const res = await call(spec, { authorization: `Bearer ${tokens[role]}` });
        expect(res.status).toBe(403);
        const body = (await res.json()) as { code: string; detail: string };
        expect(body.code).toBe("forbidden");
        expect(body.detail).toContain(spec.role);
      });
    }
  }

  for (const [name, spec] of specs.filter(([, s]) => s.role === "none")) {
    it(`${spec.method} ${spec.path} is public (${name})`, async () => {
      const res = await call(spec, {});
      expect(res.status).toBe(200);
    });
  }
});
