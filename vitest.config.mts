import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

// Three projects (vitest 4 `test.projects`; `extends: true` inherits this root
// config, including the `@` alias):
//   unit            fast, no database:  npm run test:unit
//   integration     one real database:  npm run test:integration
//                   (DATABASE_URL / KEYWARD_TEST_DB are set by scripts/test.mjs;
//                    without them a temp SQLite file is used)
//   multi-instance  two real server processes on one PostgreSQL database:
//                   npm run test:multi-instance (builds the app when stale;
//                   KEYWARD_MI_DATABASE_URL from scripts/test.mjs, else a
//                   throwaway cluster of its own)
//   load            sustained mixed load on the built server (SQLite, loopback):
//                   npm test -- --only=load; KEYWARD_LONG_TESTS=1 for the long run
export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          environment: "node",
          include: [
            "lib/**/*.test.ts",
            "components/**/*.test.{ts,tsx}",
            "cli/**/*.test.ts",
            "scripts/**/*.test.{ts,mts}",
            "tests/hostile/**/*.test.ts",
          ],
          exclude: [...configDefaults.exclude, "**/*.int.test.ts", "**/*.mi.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          environment: "node",
          include: ["lib/**/*.int.test.ts", "app/**/*.int.test.ts", "tests/integration/**/*.int.test.ts", "tests/hostile/**/*.int.test.ts"],
          exclude: [...configDefaults.exclude, "**/*.mi.test.ts"],
          // One database shared by every file: run files one at a time.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          globalSetup: "tests/integration/global-setup.ts",
        },
      },
      {
        extends: true,
        test: {
          name: "multi-instance",
          environment: "node",
          include: ["tests/multi-instance/**/*.mi.test.ts"],
          exclude: [...configDefaults.exclude],
          // The files start servers on one database: one at a time.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          globalSetup: "tests/multi-instance/global-setup.ts",
        },
      },
      {
        extends: true,
        test: {
          name: "load",
          environment: "node",
          include: ["tests/load/**/*.load.test.ts"],
          exclude: [...configDefaults.exclude],
          fileParallelism: false,
          hookTimeout: 180_000,
          globalSetup: "tests/load/global-setup.ts",
        },
      },
    ],
  },
});
