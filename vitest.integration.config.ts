import { defineConfig } from "vitest/config";
import path from "node:path";

// Integration tests: the data layer on a real store (PGlite by default, PostgreSQL when
// TEST_DATABASE_URL is set) and the built app over HTTP.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["**/*.integration.test.ts"],
    exclude: ["node_modules/**"],
    environment: "node",
    globalSetup: ["./vitest.global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
