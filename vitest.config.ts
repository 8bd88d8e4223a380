import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "dev-tools/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/*.integration.test.ts", "node_modules/**"],
    environment: "node",
    globalSetup: ["./vitest.global-setup.ts"],
  },
});
