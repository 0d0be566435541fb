// Generates the Prisma clients for both providers, offline.
//
// prisma/schema.prisma (SQLite) is the source of truth; the PostgreSQL schema is
// derived from it so the two can never drift. The Prisma CLI tries to download a
// native schema engine before any command unless PRISMA_SCHEMA_ENGINE_BINARY names
// an existing file; `generate` never runs the engine, so we point it at a stand-in
// that explains how migrations are made here instead.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function derivePostgresSchema() {
  const source = fs.readFileSync(path.join(root, "prisma/schema.prisma"), "utf8");
  const derived = source
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output\s*=\s*"\.\.\/lib\/generated\/sqlite"/, 'output   = "../../lib/generated/postgresql"')
    .replace(/^\/\/ Keyward's data model\..*?\n\n/s, "// GENERATED from prisma/schema.prisma by scripts/prisma-generate.mjs. Do not edit.\n\n");
  if (!derived.includes('provider = "postgresql"') || !derived.includes("lib/generated/postgresql")) {
    throw new Error("prisma/schema.prisma: could not derive the PostgreSQL schema (provider/output lines changed?)");
  }
  const target = path.join(root, "prisma/postgresql/schema.prisma");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (!fs.existsSync(target) || fs.readFileSync(target, "utf8") !== derived) fs.writeFileSync(target, derived);
  return target;
}

export function prismaEnv() {
  return {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY:
      process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? path.join(root, "scripts/schema-engine-unavailable.mjs"),
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  };
}

function generate() {
  derivePostgresSchema();
  const prisma = path.join(root, "node_modules/.bin/prisma");
  for (const schema of ["prisma/schema.prisma", "prisma/postgresql/schema.prisma"]) {
    execFileSync(prisma, ["generate", "--schema", schema], { cwd: root, env: prismaEnv(), stdio: ["ignore", "pipe", "inherit"] });
  }
  console.log("prisma: generated clients for sqlite and postgresql");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) generate();
