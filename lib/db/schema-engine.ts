import fs from "node:fs";
import { createRequire } from "node:module";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";

import type { Provider } from "./provider.ts";

type DiffTarget =
  | { tag: "empty" }
  | { tag: "schemaDatamodel"; files: { path: string; content: string }[] };

interface WasmSchemaEngine {
  diff(params: {
    from: DiffTarget;
    to: DiffTarget;
    script: boolean;
    exitCode: boolean | null;
    filters: { externalTables: string[]; externalEnums: string[] };
  }): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

let loaded: Promise<{ SchemaEngine: { new: (...args: unknown[]) => Promise<WasmSchemaEngine> } }> | undefined;

// Prisma's CLI only spawns a native schema engine, which cannot be downloaded on
// offline machines. The same engine ships as WebAssembly; we load it directly and
// use it for the one thing we need it for: turning a schema change into SQL.
async function loadEngine() {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const jsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bg = (await import(/* webpackIgnore: true */ jsPath)) as Record<string, unknown> & {
      __wbg_set_wasm: (exports: unknown) => void;
      SchemaEngine: { new: (...args: unknown[]) => Promise<WasmSchemaEngine> };
    };
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(jsPath.replace(/\.js$/, ".wasm")), {
      "./schema_engine_bg.js": bg as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    return bg;
  })();
  return loaded;
}

/**
 * SQL that takes a database from schema `from` (or empty) to schema `to`,
 * computed from the two schemas alone (nothing is read from or written to a database).
 */
export async function diffSchemas(
  provider: Provider,
  from: string | null,
  to: string,
  postgresUrl?: string,
): Promise<string> {
  const bg = await loadEngine();
  // The engine wants a live adapter even for schema-to-schema diffs: SQLite in
  // memory, and for PostgreSQL a scratch server (it only reads its version).
  if (provider === "postgresql" && !postgresUrl) throw new Error("diffSchemas: PostgreSQL diffs need a scratch server URL");
  const factory =
    provider === "sqlite"
      ? new PrismaLibSql({ url: "file::memory:" })
      : new PrismaPg({ connectionString: postgresUrl });
  const engine = await bg.SchemaEngine.new(
    { datamodels: [["schema.prisma", to]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    const result = await engine.diff({
      from: from === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: from }] },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: to }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.stdout ?? "";
  } finally {
    engine.free();
  }
}
