#!/usr/bin/env node
// Stand-in for Prisma's native schema engine, which cannot be downloaded on
// machines without internet. Keyward applies migrations with its own runner
// (lib/db/migrate.ts) and writes new ones with the WebAssembly engine.
process.stderr.write("\n");
process.stderr.write(
  JSON.stringify({
    level: "ERROR",
    target: "schema_engine::logger",
    fields: {
      message:
        "Keyward does not use Prisma's native schema engine. Apply migrations with `npm run keyward -- migrate`; create one with `npm run db:new-migration -- <name>`.",
    },
  }) + "\n",
);
process.exit(1);
