import { defineConfig, devices, type LaunchOptions } from "@playwright/test";
import { E2E } from "./e2e/fixtures/env";

// Chromium comes from Debian (/usr/bin/chromium): Playwright cannot download
// browsers on these machines. scripts/test.mjs installs it when missing.
const launchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
  ],
};

export default defineConfig({
  testDir: "e2e",
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: E2E.baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions,
  },
  projects: [
    {
      name: "setup",
      testMatch: /.*\.setup\.ts/,
      teardown: "secrets-scan",
      use: { launchOptions },
    },
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        storageState: E2E.adminStorageState,
        launchOptions,
      },
      dependencies: ["setup"],
      testIgnore: /secrets-scan\.spec\.ts/,
    },
    {
      // Last, as the setup's teardown (so it runs when only some specs are chosen too):
      // scans what the run recorded (scripts/lib/recording-proxy.mjs).
      name: "secrets-scan",
      testMatch: /secrets-scan\.spec\.ts/,
    },
  ],
  webServer: {
    // Fresh database and data dir per run; builds if needed, migrates,
    // bootstraps the admin and API token, then serves on port 3100.
    command: "node scripts/e2e-server.mjs",
    url: `${E2E.baseURL}/api/v1/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
