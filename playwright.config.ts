import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { serverArgs } from "./scripts/node-flags";

// The e2e suite runs against the production build (`next build` first, see scripts/test.ts) on a
// fresh embedded store, so it tests exactly what `npm start` serves.
const port = Number(process.env.E2E_PORT ?? 3210);
if (!process.env.E2E_DATA_DIR) {
  process.env.E2E_DATA_DIR = mkdtempSync(path.join(tmpdir(), "storegate-e2e-"));
  // Removed by e2e/global-teardown.ts: only a folder this run made itself.
  process.env.E2E_DATA_DIR_CREATED = process.env.E2E_DATA_DIR;
}
const baseURL = `http://localhost:${port}`;
const idpPort = port + 1;
const tsx = "node node_modules/tsx/dist/cli.mjs";
const certDir = path.join(process.env.E2E_DATA_DIR, "entra");

export default defineConfig({
  testDir: "e2e",
  globalTeardown: "./e2e/global-teardown.ts",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    // The local Entra stand-in serves HTTPS with a self-signed certificate.
    ignoreHTTPSErrors: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    {
      command: `${tsx} scripts/entra-stand-in.ts --port ${idpPort} --cert-dir ${certDir} --fixture e2e/entra-fixture.json`,
      url: `https://localhost:${idpPort}/common/v2.0/.well-known/openid-configuration`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      // The production server with its Node.js flags, as `npm start` runs it.
      command: `${tsx} e2e/seed.ts && node ${serverArgs(port, "127.0.0.1").join(" ")}`,
      url: `${baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      env: {
        STOREGATE_DATA_DIR: process.env.E2E_DATA_DIR,
        E2E_DATA_DIR: process.env.E2E_DATA_DIR,
        APP_URL: baseURL,
        PORT: String(port),
        DATABASE_URL: "",
        AUTH_MICROSOFT_ENTRA_ID_ID: "",
        AUTH_MICROSOFT_ENTRA_ID_SECRET: "",
        ENTRA_STAND_IN_URL: `https://localhost:${idpPort}`,
        NODE_EXTRA_CA_CERTS: path.join(certDir, "localhost-cert.pem"),
      },
    },
  ],
});
